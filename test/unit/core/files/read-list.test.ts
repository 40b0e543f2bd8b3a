import { randomBytes } from 'node:crypto';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { createFileOps, READ_CHUNK_BYTES } from '../../../../src/core/files/index.js';
import { collect, failure, useTempFolders } from './temp-tree.js';

const newTemp = useTempFolders();

describe('list and stat', () => {
  it('lists folders first, then by name, with types, sizes and modes', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'b.txt'), '12345');
    await writeFile(join(root, 'A.txt'), '');
    await mkdir(join(root, 'zdir'));
    await mkdir(join(root, 'adir'));
    await symlink('b.txt', join(root, 'link'));
    await chmod(join(root, 'b.txt'), 0o640);
    const files = createFileOps({ roots: [root], fullAccess: false });
    const listed = await files.list('.');
    expect(listed.path).toBe(root);
    expect(listed.total).toBe(5);
    expect(listed.nextOffset).toBeUndefined();
    expect(listed.entries.map((entry) => [entry.name, entry.type])).toEqual([
      ['adir', 'directory'],
      ['zdir', 'directory'],
      ['A.txt', 'file'],
      ['b.txt', 'file'],
      ['link', 'symlink'],
    ]);
    const b = listed.entries.find((entry) => entry.name === 'b.txt')!;
    expect(b.size).toBe(5);
    expect(b.mode).toBe(0o640);
    expect(b.mtimeMs).toBeGreaterThan(0);
  });

  it('pages through a big folder in a stable order', async () => {
    const root = await newTemp();
    await Promise.all(Array.from({ length: 250 }, (_, i) => writeFile(join(root, `f${String(i).padStart(3, '0')}`), '')));
    const files = createFileOps({ roots: [root], fullAccess: false });
    const seen: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const page: Awaited<ReturnType<typeof files.list>> = await files.list('.', { offset, limit: 100 });
      expect(page.total).toBe(250);
      seen.push(...page.entries.map((entry) => entry.name));
      offset = page.nextOffset;
    }
    expect(seen).toHaveLength(250);
    expect(seen).toEqual([...seen].sort());
    await expect(files.list('.', { limit: 0 })).rejects.toMatchObject({ kind: 'usage' });
    await expect(files.list('.', { offset: -1 })).rejects.toMatchObject({ kind: 'usage' });
    await expect(files.list('f000')).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('it is a file, not a folder') });
  });

  it('lists a name that is not UTF-8 escaped and marked, and refuses to address it by that rendering', async () => {
    const root = await newTemp();
    const raw = Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9, 0xff]), Buffer.from('.txt')]);
    await writeFile(raw, 'latin-1 name');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const [entry] = (await files.list('.')).entries;
    expect(entry).toMatchObject({ name: 'caf\\xe9\\xff.txt', escaped: true, type: 'file', size: 12 });
    await expect(files.read(entry!.name)).rejects.toMatchObject({ kind: 'refused' });
    // The text Node would make of those bytes (replacement characters) is refused too.
    await expect(files.read('caf\uFFFD\uFFFD.txt')).rejects.toMatchObject({ kind: 'refused' });
  });

  it('stat gives a version that changes when the file changes', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a'), 'one');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const first = await files.stat('a');
    expect(first).toMatchObject({ path: join(root, 'a'), name: 'a', type: 'file', size: 3 });
    expect((await files.stat('a')).version).toBe(first.version);
    await writeFile(join(root, 'a'), 'two');
    expect((await files.stat('a')).version).not.toBe(first.version);
    await expect(files.stat('missing')).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('missing') });
  });
});

describe('read', () => {
  it('streams a binary file in chunks of 64 KiB, byte for byte', async () => {
    const root = await newTemp();
    const bytes = randomBytes(3 * READ_CHUNK_BYTES + 123);
    bytes[10] = 0;
    await writeFile(join(root, 'blob.bin'), bytes);
    const files = createFileOps({ roots: [root], fullAccess: false });
    const result = await files.read('blob.bin');
    expect(result).toMatchObject({ size: bytes.length, redactedEnv: false });
    const sizes: number[] = [];
    const parts: Buffer[] = [];
    for await (const chunk of result.chunks) {
      sizes.push(chunk.length);
      parts.push(Buffer.from(chunk));
    }
    expect(sizes).toEqual([READ_CHUNK_BYTES, READ_CHUNK_BYTES, READ_CHUNK_BYTES, 123]);
    expect(Buffer.concat(parts).equals(bytes)).toBe(true);
  });

  it('refuses a file over the limit and reads it when the limit is raised', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'big'), Buffer.alloc(1000, 1));
    const files = createFileOps({ roots: [root], fullAccess: false });
    const error = await failure(files.read('big', { maxBytes: 999 }));
    expect(error.kind).toBe('usage');
    expect(error.message).toContain('1000 bytes');
    expect(error.hint).toContain('maxBytes');
    expect((await collect((await files.read('big', { maxBytes: 1000 })).chunks)).length).toBe(1000);
  });

  it('a folder is not read', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'dir'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    await expect(files.read('dir')).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('folder') });
  });

  it('a file replaced between stat and read is a conflict, not a mix', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a'), 'first');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const result = await files.read('a');
    await writeFile(join(root, 'b'), 'second!');
    const { rename } = await import('node:fs/promises');
    await rename(join(root, 'b'), join(root, 'a'));
    await expect(collect(result.chunks)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('stops when the signal aborts', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'big'), Buffer.alloc(10 * READ_CHUNK_BYTES));
    const files = createFileOps({ roots: [root], fullAccess: false });
    const controller = new AbortController();
    const result = await files.read('big', { signal: controller.signal });
    let got = 0;
    await expect(
      (async () => {
        for await (const chunk of result.chunks) {
          got += chunk.length;
          controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ kind: 'interrupted' });
    expect(got).toBe(READ_CHUNK_BYTES);
  });
});
