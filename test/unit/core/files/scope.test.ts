import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { createFileOps } from '../../../../src/core/files/index.js';
import { failure, useTempFolders } from './temp-tree.js';

const newTemp = useTempFolders();

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof OpenmatesError ? error.kind : `not an OpenmatesError: ${String(error)}`;
  }
}

describe('file scope', () => {
  it('resolves relative paths against the first root, and absolute ones inside it', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a.txt'), 'x');
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect(await files.resolve('a.txt')).toBe(join(root, 'a.txt'));
    expect(await files.resolve(join(root, 'a.txt'))).toBe(join(root, 'a.txt'));
    expect(await files.resolve('.')).toBe(root);
    expect(await files.resolve('sub/../a.txt')).toBe(join(root, 'a.txt'));
  });

  it('refuses .. and absolute paths that leave the roots, naming the shared folders', async () => {
    const root = await newTemp();
    const files = createFileOps({ roots: [root], fullAccess: false });
    const error = await failure(files.resolve('../outside'));
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('refused');
    expect((error as OpenmatesError).message).toContain('outside the shared folders');
    expect((error as OpenmatesError).hint).toContain(root);
    expect(await kindOf(files.resolve('/etc/passwd'))).toBe('refused');
    expect(await kindOf(files.resolve(`${root}/../..`))).toBe('refused');
    // A sibling whose name starts with the root's name is not inside it.
    expect(await kindOf(files.resolve(`${root}-other/x`))).toBe('refused');
  });

  it('follows symlinks: one that leads out of the root is refused, one inside is fine', async () => {
    const root = await newTemp();
    const outside = await newTemp();
    await writeFile(join(outside, 'secret.txt'), 'no');
    await symlink(outside, join(root, 'out'));
    await symlink(join(outside, 'secret.txt'), join(root, 'link.txt'));
    await mkdir(join(root, 'in'));
    await symlink(join(root, 'in'), join(root, 'inlink'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect(await kindOf(files.read('out/secret.txt'))).toBe('refused');
    expect(await kindOf(files.read('link.txt'))).toBe('refused');
    expect(await kindOf(files.write('out/new.txt', Buffer.from('x')))).toBe('refused');
    expect(await files.resolve('inlink/new.txt')).toBe(join(root, 'in', 'new.txt'));
  });

  it('follows a dangling symlink too, so a write cannot create a file outside through it', async () => {
    const root = await newTemp();
    const outside = await newTemp();
    await symlink(join(outside, 'not-yet.txt'), join(root, 'dangling'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect(await kindOf(files.write('dangling', Buffer.from('x')))).toBe('refused');
    expect(await kindOf(files.resolve('dangling/deeper/file'))).toBe('refused');
  });

  it('a path that does not exist yet resolves through its nearest existing parent', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'real'));
    await symlink(join(root, 'real'), join(root, 'alias'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect(await files.resolve('alias/x/y/z.txt')).toBe(join(root, 'real', 'x', 'y', 'z.txt'));
  });

  it('refuses a NUL byte and text that cannot name one file (lone surrogate, U+FFFD)', async () => {
    const root = await newTemp();
    const files = createFileOps({ roots: [root], fullAccess: false });
    const nul = await failure(files.resolve('a\0b'));
    expect(nul.kind).toBe('refused');
    expect(nul.message).toContain('NUL');
    expect(await kindOf(files.resolve('bad\uD800name'))).toBe('refused');
    expect(await kindOf(files.resolve('bad\uFFFDname'))).toBe('refused');
    expect(await kindOf(files.resolve(''))).toBe('usage');
  });

  it('with several roots, each one is inside', async () => {
    const first = await newTemp();
    const second = await newTemp();
    await writeFile(join(second, 'b.txt'), 'b');
    const files = createFileOps({ roots: [first, second], fullAccess: false });
    expect((await files.stat(join(second, 'b.txt'))).size).toBe(1);
  });

  it('full access reaches the whole machine', async () => {
    const root = await newTemp();
    const files = createFileOps({ roots: [root], fullAccess: true });
    expect(await files.resolve('/etc')).toBe('/etc');
    expect((await files.stat('/etc')).type).toBe('directory');
  });

  it("openmates' own state is out of reach even with full access: inside it, a tree holding it, a symlink to it, and search skips it", async () => {
    const home = await newTemp();
    const state = join(home, 'state');
    await mkdir(join(state, 'undo'), { recursive: true });
    await writeFile(join(state, 'devices.json'), 'needle');
    await writeFile(join(home, 'notes.txt'), 'needle');
    await symlink(state, join(home, 'link-to-state'));
    const files = createFileOps({ roots: [home], fullAccess: true, protected: [state] });
    const error = await failure(files.write(join(state, 'devices.json'), new TextEncoder().encode('{}')));
    expect(error.kind).toBe('refused');
    expect(error.message).toContain("openmates' own state");
    expect(await kindOf(files.read(join(home, 'link-to-state', 'devices.json')))).toBe('refused');
    expect(await kindOf(files.list(state))).toBe('refused');
    expect(await kindOf(files.remove(home, { recursive: true }))).toBe('refused');
    expect(await kindOf(files.move(home, join(home, '..', 'elsewhere')))).toBe('refused');
    expect(await kindOf(files.copy(home, join(home, '..', 'copy')))).toBe('refused');
    expect(await kindOf(files.list(home))).toBe('ok');
    expect(await kindOf(files.remove('link-to-state'))).toBe('ok');
    const found = await files.search('needle', { in: home });
    expect(found.matches.map((match) => match.path)).toEqual([join(home, 'notes.txt')]);
  });

  it('a root that does not exist is a clear error', async () => {
    const files = createFileOps({ roots: ['/definitely/not/here'], fullAccess: false });
    const error = await failure(files.resolve('x'));
    expect(error.kind).toBe('usage');
    expect(error.message).toContain('/definitely/not/here');
  });
});
