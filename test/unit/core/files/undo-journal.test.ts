import { chmod, lstat, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileOps } from '../../../../src/core/files/index.js';
import { failure, useTempFolders } from './temp-tree.js';
import { journalled } from './undo-setup.js';

const newTemp = useTempFolders();
const laptop = { id: 'dev-1', name: 'laptop' };

describe('the undo journal records every change and puts the previous state back byte-exact', () => {
  it('an overwrite: the previous bytes and mode come back; the journal is 0700 and its index 0600', async () => {
    const { files, journal, dir, path } = await journalled(await newTemp());
    const previous = Buffer.from([0, 1, 2, 255, 10, 13]);
    await writeFile(path('data.bin'), previous);
    await chmod(path('data.bin'), 0o640);
    await files.write('data.bin', Buffer.from('new content'), { actor: laptop });
    const [entry] = await journal.list();
    expect(entry).toMatchObject({ op: 'write', path: path('data.bin'), device: laptop, state: 'done', bytes: previous.length, before: { exists: true, type: 'file', mode: 0o640 } });
    expect(entry!.id).toMatch(/^[a-z2-9]{6}$/);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'index.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, entry!.id))).mode & 0o777).toBe(0o700);
    await chmod(path('data.bin'), 0o640); // a chmod does not change the version (mtime, size, inode)
    const result = await journal.undo(entry!.id, { actor: laptop });
    expect(result).toMatchObject({ id: entry!.id, restored: [path('data.bin')] });
    expect(await readFile(path('data.bin'))).toEqual(previous);
    expect((await stat(path('data.bin'))).mode & 0o7777).toBe(0o640);
    expect((await journal.list())[0]).toMatchObject({ state: 'undone', undone: { device: laptop } });
    // What the undo replaced is kept, not lost.
    expect(await readFile(join(dir, entry!.id, 'after'), 'utf8')).toBe('new content');
    expect((await failure(journal.undo(entry!.id))).kind).toBe('conflict');
  });

  it('a new file: undo removes it (only when unchanged)', async () => {
    const { files, journal, path } = await journalled(await newTemp());
    await files.write('new.txt', Buffer.from('one'), { expectedVersion: null });
    await files.write('other.txt', Buffer.from('two'));
    const [other, created] = await journal.list();
    expect(created).toMatchObject({ op: 'write', before: { exists: false }, bytes: 0 });
    await journal.undo(created!.id);
    await expect(lstat(path('new.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(path('other.txt'), 'changed by hand');
    const refused = await failure(journal.undo(other!.id, { force: true }));
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toContain('was changed');
    expect(await readFile(path('other.txt'), 'utf8')).toBe('changed by hand');
  });

  it('a delete moves the file into the journal before anything else; undo puts the folder back, modes and all', async () => {
    const { files, journal, dir, path } = await journalled(await newTemp());
    await mkdir(path('tree/deep'), { recursive: true });
    await writeFile(path('tree/deep/a.sh'), '#!/bin/sh\necho a\n');
    await chmod(path('tree/deep/a.sh'), 0o755);
    await writeFile(path('tree/b.txt'), 'b');
    const inode = (await lstat(path('tree/deep/a.sh'))).ino;
    expect(await files.remove('tree', { recursive: true })).toMatchObject({ files: 2 });
    const [entry] = await journal.list();
    expect(entry).toMatchObject({ op: 'remove', before: { exists: true, type: 'directory', files: 2, bytes: 18 }, after: 'absent' });
    // Moved, not copied: the same inode sits in the journal.
    expect((await lstat(join(dir, entry!.id, 'before/deep/a.sh'))).ino).toBe(inode);
    await journal.undo(entry!.id);
    expect(await readFile(path('tree/deep/a.sh'), 'utf8')).toBe('#!/bin/sh\necho a\n');
    expect((await stat(path('tree/deep/a.sh'))).mode & 0o7777).toBe(0o755);
    expect(await readFile(path('tree/b.txt'), 'utf8')).toBe('b');
  });

  it('a delete whose name was taken again: refused, and --force puts it beside as name.undo-<id>', async () => {
    const { files, journal, path } = await journalled(await newTemp());
    await writeFile(path('notes.txt'), 'old notes');
    await files.remove('notes.txt');
    await writeFile(path('notes.txt'), 'new notes');
    const [entry] = await journal.list();
    const refused = await failure(journal.undo(entry!.id));
    expect(refused).toMatchObject({ kind: 'conflict' });
    expect(refused.hint).toContain(`notes.txt.undo-${entry!.id}`);
    const forced = await journal.undo(entry!.id, { force: true });
    expect(forced.beside).toBe(path(`notes.txt.undo-${entry!.id}`));
    expect(await readFile(path(`notes.txt.undo-${entry!.id}`), 'utf8')).toBe('old notes');
    expect(await readFile(path('notes.txt'), 'utf8')).toBe('new notes');
  });

  it('an overwrite changed again since: refused; --force writes the previous one beside it', async () => {
    const { files, journal, path } = await journalled(await newTemp());
    await writeFile(path('conf.ini'), 'v1');
    await files.write('conf.ini', Buffer.from('v2'));
    await writeFile(path('conf.ini'), 'v3 by hand');
    const [entry] = await journal.list();
    expect((await failure(journal.undo(entry!.id))).message).toMatch(/changed since the write/);
    expect(await readFile(path('conf.ini'), 'utf8')).toBe('v3 by hand');
    const forced = await journal.undo(entry!.id, { force: true });
    expect(forced.message).toContain(`conf.ini.undo-${entry!.id}`);
    expect(await readFile(path(`conf.ini.undo-${entry!.id}`), 'utf8')).toBe('v1');
    expect(await readFile(path('conf.ini'), 'utf8')).toBe('v3 by hand');
  });

  it('a move over an existing file: undo moves it back and restores what it replaced', async () => {
    const { files, journal, path } = await journalled(await newTemp());
    await writeFile(path('a.txt'), 'A');
    await writeFile(path('b.txt'), 'B');
    await files.move('a.txt', 'b.txt', { overwrite: true });
    const [entry] = await journal.list();
    expect(entry).toMatchObject({ op: 'move', from: path('a.txt'), path: path('b.txt'), before: { exists: true, bytes: 1 } });
    await journal.undo(entry!.id);
    expect(await readFile(path('a.txt'), 'utf8')).toBe('A');
    expect(await readFile(path('b.txt'), 'utf8')).toBe('B');
  });

  it('a copy over an existing file, and a copied folder: undone', async () => {
    const { files, journal, path } = await journalled(await newTemp());
    await writeFile(path('a.txt'), 'A');
    await writeFile(path('b.txt'), 'B');
    await chmod(path('b.txt'), 0o600);
    await mkdir(path('dir'));
    await writeFile(path('dir/x'), 'x');
    await files.copy('a.txt', 'b.txt', { overwrite: true });
    await files.copy('dir', 'dir2');
    const [folder, over] = await journal.list();
    expect(over).toMatchObject({ op: 'copy', before: { exists: true, mode: 0o600 } });
    expect(folder).toMatchObject({ op: 'copy', path: path('dir2'), before: { exists: false } });
    await journal.undo(over!.id);
    expect(await readFile(path('b.txt'), 'utf8')).toBe('B');
    expect((await stat(path('b.txt'))).mode & 0o777).toBe(0o600);
    await journal.undo(folder!.id);
    await expect(lstat(path('dir2'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(path('dir/x'), 'utf8')).toBe('x');
  });

  it('mkdir -p records the top folder it created; undo removes the chain while it is still empty', async () => {
    const { files, journal, path } = await journalled(await newTemp());
    await mkdir(path('have'));
    await files.mkdir('have/new/deeper', { parents: true });
    await files.mkdir('kept');
    const [kept, chain] = await journal.list();
    expect(chain).toMatchObject({ op: 'mkdir', path: path('have/new') });
    await journal.undo(chain!.id);
    expect(await readdir(path('have'))).toEqual([]);
    await writeFile(path('kept/file'), 'inside');
    expect((await failure(journal.undo(kept!.id))).kind).toBe('conflict');
    expect(await readFile(path('kept/file'), 'utf8')).toBe('inside');
  });

  it('without a journal the file operations work as before and record nothing', async () => {
    const base = await newTemp();
    const { journal, path, root } = await journalled(base);
    const plain = createFileOps({ roots: [root], fullAccess: false });
    await plain.write('x.txt', Buffer.from('x'));
    await plain.remove('x.txt');
    expect(await journal.list()).toEqual([]);
    await expect(lstat(path('x.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an unknown id is a usage error naming how to list them', async () => {
    const { journal } = await journalled(await newTemp());
    const error = await failure(journal.undo('nosuch'));
    expect(error.kind).toBe('usage');
    expect(error.hint).toContain('openmates remote-access undo');
  });
});
