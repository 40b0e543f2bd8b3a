import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { fileHeader, parseHeader } from '../../../../src/core/backup/tar-format.js';
import { entryStream, readTarIndex } from '../../../../src/core/backup/tar-file-reader.js';
import { TarFileWriter } from '../../../../src/core/backup/tar-file-writer.js';
import { removeTempDirs, tempDir } from './fixtures.js';

afterAll(removeTempDirs);

describe('tar format of backup archives', () => {
  it('round-trips buffers and streams of unknown size, with their sha256', async () => {
    const path = join(await tempDir('om-tar-'), 'a.tar');
    const writer = await TarFileWriter.create(path);
    await writer.addBuffer('config/.env', Buffer.from('A=1\n'));
    const big = Buffer.alloc(70_000, 7);
    const streamed = await writer.addStream('volumes/v.tar', Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
    await writer.addBuffer('empty', Buffer.alloc(0));
    await writer.finish();
    expect(streamed.bytes).toBe(70_000);

    const index = await readTarIndex(path);
    expect(index.ok).toBe(true);
    expect(index.entries.map((entry) => [entry.name, entry.size])).toEqual([
      ['config/.env', 4],
      ['volumes/v.tar', 70_000],
      ['empty', 0],
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of entryStream(path, index.entries[1]!)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    const empty: Buffer[] = [];
    for await (const chunk of entryStream(path, index.entries[2]!)) empty.push(chunk as Buffer);
    expect(empty).toEqual([]);
  });

  it('creates archives 0600 and never overwrites a file', async () => {
    const path = join(await tempDir('om-tar-'), 'a.tar');
    const writer = await TarFileWriter.create(path);
    await writer.finish();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await expect(TarFileWriter.create(path)).rejects.toThrow(/EEXIST/);
  });

  it('encodes sizes past 8 GiB in base-256 and long names with the ustar prefix', () => {
    const size = 10 * 1024 ** 3 + 5;
    const name = `${'d'.repeat(90)}/${'x'.repeat(90)}.tar`;
    const parsed = parseHeader(fileHeader(name, size, 0o600, new Date(0)));
    expect(parsed).toEqual({ name, size, type: '0' });
  });

  it('stores names too long for ustar as GNU long names, which tar and our reader read', async () => {
    const path = join(await tempDir('om-tar-'), 'a.tar');
    const name = `volumes/${'x'.repeat(150)}.tar`;
    const writer = await TarFileWriter.create(path);
    await writer.addStream(name, Readable.from([Buffer.from('abc')]));
    await writer.addBuffer('after', Buffer.from('z'));
    await writer.finish();
    const index = await readTarIndex(path);
    expect(index.ok && index.entries.map((entry) => [entry.name, entry.size])).toEqual([
      [name, 3],
      ['after', 1],
    ]);
  });

  it('rejects a header whose checksum does not match', () => {
    const header = fileHeader('a', 1, 0o600, new Date(0));
    header[0] = 'b'.charCodeAt(0);
    expect(parseHeader(header)).toBeUndefined();
  });

  it('reports a file cut inside an entry or before the end marker', async () => {
    const dir = await tempDir('om-tar-');
    const path = join(dir, 'a.tar');
    const writer = await TarFileWriter.create(path);
    await writer.addBuffer('volumes/v.tar', Buffer.alloc(5000, 1));
    await writer.finish();
    const whole = await readFile(path);
    await writeFile(join(dir, 'cut.tar'), whole.subarray(0, 3000));
    const cut = await readTarIndex(join(dir, 'cut.tar'));
    expect(cut.ok).toBe(false);
    expect(!cut.ok && cut.problem).toContain('"volumes/v.tar" should hold 5000 bytes');
    await writeFile(join(dir, 'no-end.tar'), whole.subarray(0, whole.length - 1024));
    const noEnd = await readTarIndex(join(dir, 'no-end.tar'));
    expect(!noEnd.ok && noEnd.problem).toContain('before the end-of-archive marker (truncated)');
  });
});
