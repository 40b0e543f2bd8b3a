import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileOps } from '../../../../src/core/files/index.js';
import { measurePath } from '../../../../src/core/files/measure.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'measure-'));
  await mkdir(join(root, 'tree', 'deep', 'deeper'), { recursive: true });
  await writeFile(join(root, 'tree', 'a.txt'), '12345');
  await writeFile(join(root, 'tree', 'deep', 'b.txt'), '123');
  await writeFile(join(root, 'tree', 'deep', 'deeper', Buffer.from([0x66, 0xff]).toString('latin1')), 'x');
  await symlink('/etc/passwd', join(root, 'tree', 'link'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('measure', () => {
  it('counts files, folders and bytes below a folder without following symlinks, with a sample of names', async () => {
    const measured = await createFileOps({ roots: [root], fullAccess: false }).measure('tree');
    expect(measured).toMatchObject({ type: 'directory', files: 4, folders: 3, partial: false });
    expect(measured.bytes).toBe(5 + 3 + 1 + '/etc/passwd'.length);
    expect(measured.sample).toEqual(expect.arrayContaining(['a.txt', 'deep/', 'deep/b.txt', 'link']));
  });

  it('a file is one file of its size; a walk over the bound says it is partial', async () => {
    expect(await createFileOps({ roots: [root], fullAccess: false }).measure('tree/a.txt')).toMatchObject({ type: 'file', files: 1, folders: 0, bytes: 5 });
    const bounded = await measurePath(join(root, 'tree'), 'tree', { sampleSize: 2, maxEntries: 3 });
    expect(bounded.partial).toBe(true);
    expect(bounded.sample).toHaveLength(2);
  });

  it('a missing path is a usage error naming it; outside the roots is refused', async () => {
    const files = createFileOps({ roots: [root], fullAccess: false });
    await expect(files.measure('nope')).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('"nope"') });
    await expect(files.measure('../../etc')).rejects.toMatchObject({ kind: 'refused' });
  });
});
