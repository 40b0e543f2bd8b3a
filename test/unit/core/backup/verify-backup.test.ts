import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { TarFileWriter } from '../../../../src/core/backup/tar-file-writer.js';
import { verifyBackup } from '../../../../src/core/backup/verify-backup.js';
import { removeTempDirs, tempDir, writeTestBackup } from './fixtures.js';

afterAll(removeTempDirs);

describe('verifyBackup', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('om-verify-');
  });

  it('accepts a complete archive and describes it', async () => {
    const file = await writeTestBackup(join(dir, 'ok.tar'), { reason: 'pre-update', version: 'v2.0.0' });
    expect(await verifyBackup(file)).toMatchObject({ file, reason: 'pre-update', version: 'v2.0.0', createdAt: '2026-01-01T00:00:00.000Z', volumes: ['demo-db-data'] });
  });

  it('refuses a missing file as a usage error', async () => {
    await expect(verifyBackup(join(dir, 'nope.tar'))).rejects.toMatchObject({ kind: 'usage', message: `There is no backup file at ${join(dir, 'nope.tar')}.` });
  });

  it('refuses a truncated archive, naming where it ends', async () => {
    const file = await writeTestBackup(join(dir, 'ok.tar'), {}, { 'volumes/demo-db-data.tar': Buffer.alloc(4000, 1) });
    const whole = await readFile(file);
    await writeFile(join(dir, 'cut.tar'), whole.subarray(0, 2048));
    await expect(verifyBackup(join(dir, 'cut.tar'))).rejects.toMatchObject({
      kind: 'unsafe',
      message: expect.stringMatching(/is damaged: "volumes\/demo-db-data\.tar" should hold 4000 bytes but the file ends after 1536 of them \(truncated\)/),
    });
    await writeFile(join(dir, 'no-manifest-end.tar'), whole.subarray(0, whole.length - 1024));
    await expect(verifyBackup(join(dir, 'no-manifest-end.tar'))).rejects.toMatchObject({ kind: 'unsafe', message: expect.stringContaining('(truncated)') });
  });

  it('refuses an archive whose part does not match its checksum', async () => {
    const file = await writeTestBackup(join(dir, 'ok.tar'), {}, { 'volumes/demo-db-data.tar': Buffer.from('original data') });
    const data = await readFile(file);
    data[512 + 2] = 'X'.charCodeAt(0);
    await writeFile(file, data);
    await expect(verifyBackup(file)).rejects.toMatchObject({ kind: 'unsafe', message: expect.stringContaining('the checksum of "volumes/demo-db-data.tar" does not match its manifest') });
  });

  it('refuses files that are not openmates backups: random bytes, a tar without manifest, another format', async () => {
    await writeFile(join(dir, 'random.tar'), Buffer.alloc(3000, 0x41));
    await expect(verifyBackup(join(dir, 'random.tar'))).rejects.toMatchObject({ kind: 'unsafe', message: expect.stringContaining('is not an openmates backup') });

    const plain = await TarFileWriter.create(join(dir, 'plain.tar'));
    await plain.addBuffer('notes.txt', Buffer.from('hello'));
    await plain.finish();
    await expect(verifyBackup(join(dir, 'plain.tar'))).rejects.toMatchObject({ kind: 'unsafe', message: expect.stringContaining('it has no manifest.json') });

    const other = await writeTestBackup(join(dir, 'other.tar'), { format: 'something-else' as 'openmates-backup' });
    await expect(verifyBackup(other)).rejects.toMatchObject({ kind: 'unsafe', message: expect.stringContaining('is not an openmates backup: its manifest is not in the openmates-backup format') });
  });

  it('refuses an archive holding entries its manifest does not list', async () => {
    const file = join(dir, 'extra.tar');
    const writer = await TarFileWriter.create(file);
    await writer.addBuffer('volumes/sneaky.tar', Buffer.from('x'));
    await writer.addBuffer('manifest.json', Buffer.from(JSON.stringify({ format: 'openmates-backup', formatVersion: 1, stack: 'demo', version: 'v1', reason: 'manual', createdAt: '2026-01-01T00:00:00.000Z', hostname: 'h', stoppedServices: [], parts: [] })));
    await writer.finish();
    await expect(verifyBackup(file)).rejects.toMatchObject({ kind: 'unsafe', message: expect.stringContaining('"volumes/sneaky.tar", which the manifest does not list') });
  });
});
