import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { versionOfPath } from '../../../../src/core/files/undo-store.js';
import { useTempFolders } from './temp-tree.js';
import { journalled } from './undo-setup.js';

const newTemp = useTempFolders();
// "caf\xe9.txt": Latin-1, not UTF-8: read as a string it becomes "caf\ufffd.txt", a name that does not exist.
const latin1Name = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]);

describe('the undo journal walks names that are not UTF-8', () => {
  it('a folder holding one is deleted, counted, and put back byte-exact', async () => {
    const { files, journal, path } = await journalled(await newTemp());
    await mkdir(path('tree/inner'), { recursive: true });
    const odd = Buffer.concat([Buffer.from(`${path('tree/inner')}/`), latin1Name]);
    await writeFile(odd, 'kept');
    await writeFile(path('tree/plain.txt'), 'ab');
    expect(await files.remove('tree', { recursive: true })).toMatchObject({ files: 2, bytes: 6 });
    const [entry] = await journal.list();
    expect(entry).toMatchObject({ op: 'remove', before: { exists: true, type: 'directory', files: 2, bytes: 6 } });
    await journal.undo(entry!.id);
    expect(await readdir(path('tree/inner'), { encoding: 'buffer' })).toEqual([latin1Name]);
    expect(await readFile(odd, 'utf8')).toBe('kept');
  });

  it('a folder holding one has a version that changes when that file changes', async () => {
    const folder = await newTemp();
    const odd = Buffer.concat([Buffer.from(`${folder}/`), latin1Name]);
    await writeFile(odd, 'one');
    const before = await versionOfPath(folder);
    expect(before).toMatch(/^d1-/);
    expect(await versionOfPath(folder)).toBe(before);
    await writeFile(odd, 'changed');
    expect(await versionOfPath(folder)).not.toBe(before);
  });
});
