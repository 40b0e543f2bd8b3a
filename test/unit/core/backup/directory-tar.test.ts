import { createHash } from 'node:crypto';
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractIntoDirectory, hostTarVersion, tarDirectoryInto } from '../../../../src/core/backup/directory-tar.js';
import { readEntry, readTarIndex } from '../../../../src/core/backup/tar-file-reader.js';
import { TarFileWriter } from '../../../../src/core/backup/tar-file-writer.js';

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'omt-directory-tar-'));
  made.push(dir);
  return dir;
}
const asRoot = process.getuid?.() === 0;

// Real GNU tar, no engine: what a backup does when it reads a volume in its directory.
describe('a volume directory through GNU tar and back', () => {
  it('finds GNU tar', async () => {
    expect(await hostTarVersion()).toMatch(/GNU tar/);
  });

  it('keeps content, modes, owners, links and the directory\'s own mode, and hashes what tar wrote', async () => {
    const root = await tempDir();
    const volume = join(root, 'volume-data');
    await mkdir(join(volume, 'sub', 'deeper'), { recursive: true });
    await writeFile(join(volume, 'sub', 'private'), 'secret\n');
    await writeFile(join(volume, 'big'), Buffer.alloc(9 << 20, 7));
    await chmod(join(volume, 'sub', 'private'), 0o640);
    await chmod(volume, 0o700);
    await symlink('private', join(volume, 'sub', 'link'));
    if (asRoot) await chown(join(volume, 'sub', 'private'), 999, 998);

    const archive = join(root, 'backup.tar');
    const writer = await TarFileWriter.create(archive);
    const warnings: string[] = [];
    const written = await writer.addWrittenBy('volumes/v.tar', (fd) => tarDirectoryInto(volume, fd, (message) => warnings.push(message)));
    await writer.addBuffer('after', Buffer.from('next entry'));
    await writer.finish();
    expect(warnings).toEqual([]);

    const index = await readTarIndex(archive);
    expect(index.ok).toBe(true);
    const entry = index.entries.find((candidate) => candidate.name === 'volumes/v.tar')!;
    expect(entry.size).toBe(written.bytes);
    expect(createHash('sha256').update(await readEntry(archive, entry)).digest('hex')).toBe(written.sha256);
    expect((await readEntry(archive, index.entries.find((candidate) => candidate.name === 'after')!)).toString()).toBe('next entry');

    const target = join(root, 'restored');
    await mkdir(target);
    await extractIntoDirectory(target, { file: archive, entry: 'volumes/v.tar' });
    expect((await lstat(target)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(target, 'sub', 'private'), 'utf8')).toBe('secret\n');
    expect((await lstat(join(target, 'sub', 'private'))).mode & 0o777).toBe(0o640);
    expect((await readFile(join(target, 'big'))).equals(Buffer.alloc(9 << 20, 7))).toBe(true);
    expect(await readlink(join(target, 'sub', 'link'))).toBe('private');
    expect((await lstat(join(target, 'sub', 'deeper'))).isDirectory()).toBe(true);
    if (asRoot) expect(await lstat(join(target, 'sub', 'private'))).toMatchObject({ uid: 999, gid: 998 });
  });

  it('names the directory when tar cannot read it', async () => {
    const root = await tempDir();
    const writer = await TarFileWriter.create(join(root, 'backup.tar'));
    await expect(writer.addWrittenBy('volumes/v.tar', (fd) => tarDirectoryInto(join(root, 'missing'), fd, () => {}))).rejects.toThrow(`Could not read the volume's files in ${join(root, 'missing')}`);
    await writer.close();
  });
});
