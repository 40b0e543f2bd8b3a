import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileOps } from '../../../../src/core/files/index.js';
import { useTempFolders } from './temp-tree.js';

const newTemp = useTempFolders();

describe('mkdir, copy, move, remove', () => {
  it('mkdir makes one folder; parents makes the chain; an existing name is a conflict', async () => {
    const root = await newTemp();
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect(await files.mkdir('one')).toEqual({ path: join(root, 'one') });
    await expect(files.mkdir('one')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(files.mkdir('a/b/c')).rejects.toMatchObject({ kind: 'usage' });
    await files.mkdir('a/b/c', { parents: true });
    expect((await lstat(join(root, 'a/b/c'))).isDirectory()).toBe(true);
    await expect(files.mkdir('../escape')).rejects.toMatchObject({ kind: 'refused' });
  });

  it('copies a file and a folder tree; an existing target needs overwrite', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'src/deep'), { recursive: true });
    await writeFile(join(root, 'src/deep/f.txt'), 'deep');
    await writeFile(join(root, 'a.txt'), 'A');
    await writeFile(join(root, 'b.txt'), 'B');
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect(await files.copy('src', 'copy')).toEqual({ src: join(root, 'src'), dst: join(root, 'copy') });
    expect(await readFile(join(root, 'copy/deep/f.txt'), 'utf8')).toBe('deep');
    await expect(files.copy('a.txt', 'b.txt')).rejects.toMatchObject({ kind: 'conflict' });
    expect(await readFile(join(root, 'b.txt'), 'utf8')).toBe('B');
    await files.copy('a.txt', 'b.txt', { overwrite: true });
    expect(await readFile(join(root, 'b.txt'), 'utf8')).toBe('A');
    // Into an existing folder, as cp does.
    expect((await files.copy('a.txt', 'src')).dst).toBe(join(root, 'src/a.txt'));
    await expect(files.copy('src', 'src/deep')).rejects.toMatchObject({ kind: 'usage' });
    await expect(files.copy('a.txt', '/tmp/outside-openmates-test')).rejects.toMatchObject({ kind: 'refused' });
  });

  it('moves a file and a folder, and moves a symlink itself rather than what it points at', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'dir'));
    await writeFile(join(root, 'dir/x'), 'x');
    await writeFile(join(root, 'target.txt'), 't');
    await symlink('target.txt', join(root, 'link'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    await files.move('dir', 'renamed');
    expect(await readFile(join(root, 'renamed/x'), 'utf8')).toBe('x');
    await files.move('link', 'link2');
    expect((await lstat(join(root, 'link2'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(root, 'target.txt'), 'utf8')).toBe('t');
    await expect(files.move('.', 'elsewhere')).rejects.toMatchObject({ kind: 'refused' });
  });

  it('moves across devices (copy, then remove) when /dev/shm is another file system', async () => {
    const root = await newTemp();
    const shm = await lstat('/dev/shm').catch(() => undefined);
    const tmp = await lstat(root);
    if (!shm || shm.dev === tmp.dev) {
      // Not two file systems here: a move still has to work, within one.
      await writeFile(join(root, 'a'), 'a');
      await createFileOps({ roots: [root], fullAccess: false }).move('a', 'b');
      expect(await readFile(join(root, 'b'), 'utf8')).toBe('a');
      return;
    }
    const other = join('/dev/shm', `openmates-move-${process.pid}-${Date.now()}`);
    await mkdir(other);
    try {
      await mkdir(join(root, 'tree/sub'), { recursive: true });
      await writeFile(join(root, 'tree/sub/f'), 'across');
      const files = createFileOps({ roots: [root, other], fullAccess: false });
      const moved = await files.move('tree', other);
      expect(moved.dst).toBe(join(other, 'tree'));
      expect(await readFile(join(other, 'tree/sub/f'), 'utf8')).toBe('across');
      await expect(lstat(join(root, 'tree'))).rejects.toThrow();
    } finally {
      const { rm } = await import('node:fs/promises');
      await rm(other, { recursive: true, force: true });
    }
  });

  it('remove needs recursive for a folder and counts what went; a root is not removed', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'd/e'), { recursive: true });
    await writeFile(join(root, 'd/one'), '123');
    await writeFile(join(root, 'd/e/two'), '45');
    await writeFile(join(root, 'f'), 'ff');
    const files = createFileOps({ roots: [root], fullAccess: false });
    await expect(files.remove('d')).rejects.toMatchObject({ kind: 'usage', hint: expect.stringContaining('recursive') });
    expect(await files.remove('d', { recursive: true })).toEqual({ path: join(root, 'd'), files: 2, bytes: 5 });
    expect(await files.remove('f')).toEqual({ path: join(root, 'f'), files: 1, bytes: 2 });
    expect(await readdir(root)).toEqual([]);
    await expect(files.remove('.', { recursive: true })).rejects.toMatchObject({ kind: 'refused' });
    await expect(files.remove('gone')).rejects.toMatchObject({ kind: 'usage' });
  });

  it('a folder holding a name that is not UTF-8 is counted and removed whole, and search shows the name escaped', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'd'));
    await writeFile(Buffer.concat([Buffer.from(`${root}/d/x`), Buffer.from([0xff]), Buffer.from('-match')]), 'abc');
    await writeFile(join(root, 'd/plain'), '12');
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect((await files.search('match')).matches).toEqual([{ path: join(root, 'd/x\\xff-match'), kind: 'name' }]);
    expect(await files.remove('d', { recursive: true })).toEqual({ path: join(root, 'd'), files: 2, bytes: 5 });
    expect(await readdir(root)).toEqual([]);
  });

  it('removing a symlink removes the link, not its target outside the root', async () => {
    const root = await newTemp();
    const outside = await newTemp();
    await writeFile(join(outside, 'keep.txt'), 'keep');
    await symlink(join(outside, 'keep.txt'), join(root, 'link'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    await files.remove('link');
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('keep');
    expect(await readdir(root)).toEqual([]);
  });
});
