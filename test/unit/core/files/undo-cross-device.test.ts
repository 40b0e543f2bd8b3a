import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileOps, openUndoJournal } from '../../../../src/core/files/index.js';
import { useTempFolders } from './temp-tree.js';

const newTemp = useTempFolders();
const shm: string[] = [];
afterEach(async () => {
  await Promise.all(shm.splice(0).map((path) => rm(path, { recursive: true, force: true })));
});

/** The journal on another file system (tmpfs) than the shared folder: no hard links, no renames between them. */
async function crossDevice() {
  const root = await newTemp();
  const state = await mkdtemp('/dev/shm/openmates-undo-');
  shm.push(state);
  expect((await stat(root)).dev).not.toBe((await stat(state)).dev);
  const journal = openUndoJournal({ dir: join(state, 'undo'), bounds: async () => ({ maxBytes: 1024 ** 3, maxAgeDays: 7 }) });
  return { root, journal, files: createFileOps({ roots: [root], fullAccess: false }, { journal }), path: (name: string) => join(root, name) };
}

describe('the undo journal on another file system than the files', () => {
  it('an overwrite keeps a copy of the old file, and undo puts it back with its mode', async () => {
    const { files, journal, path } = await crossDevice();
    await writeFile(path('a.sh'), '#!/bin/sh\nold\n');
    await chmod(path('a.sh'), 0o750);
    await files.write('a.sh', Buffer.from('new'));
    const [entry] = await journal.list();
    await journal.undo(entry!.id);
    expect(await readFile(path('a.sh'), 'utf8')).toBe('#!/bin/sh\nold\n');
    expect((await stat(path('a.sh'))).mode & 0o777).toBe(0o750);
  });

  it('a delete of a folder copies it into the journal and removes it; undo copies it back', async () => {
    const { files, journal, path } = await crossDevice();
    await mkdir(path('dir/sub'), { recursive: true });
    await writeFile(path('dir/sub/x.txt'), 'x');
    await chmod(path('dir/sub/x.txt'), 0o604);
    await files.remove('dir', { recursive: true });
    await expect(lstat(path('dir'))).rejects.toMatchObject({ code: 'ENOENT' });
    const [entry] = await journal.list();
    await journal.undo(entry!.id);
    expect(await readFile(path('dir/sub/x.txt'), 'utf8')).toBe('x');
    expect((await stat(path('dir/sub/x.txt'))).mode & 0o777).toBe(0o604);
  });
});
