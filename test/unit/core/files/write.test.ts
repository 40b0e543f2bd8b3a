import { spawn } from 'node:child_process';
import { chmod, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { createFileOps } from '../../../../src/core/files/index.js';
import { STALE_TEMP_MS } from '../../../../src/core/files/write-file.js';
import { failure, useTempFolders } from './temp-tree.js';

const newTemp = useTempFolders();
const writer = fileURLToPath(new URL('./slow-writer.ts', import.meta.url));

async function* slowly(parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield Buffer.from(part);
  }
}

describe('write', () => {
  it('creates a file, then replaces it with the version it was read at, keeping its mode', async () => {
    const root = await newTemp();
    const files = createFileOps({ roots: [root], fullAccess: false });
    const created = await files.write('a.txt', Buffer.from('one'), { expectedVersion: null });
    expect(created).toMatchObject({ path: join(root, 'a.txt'), bytes: 3 });
    await chmod(join(root, 'a.txt'), 0o600);
    const { version } = await files.stat('a.txt');
    const replaced = await files.write('a.txt', slowly(['tw', 'o!']), { expectedVersion: version });
    expect(replaced.bytes).toBe(4);
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('two!');
    expect((await stat(join(root, 'a.txt'))).mode & 0o777).toBe(0o600);
    expect(replaced.version).toBe((await files.stat('a.txt')).version);
    expect(await readdir(root)).toEqual(['a.txt']);
  });

  it('a write over a file that changed since it was read is a conflict and overwrites nothing', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a.txt'), 'original');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const { version } = await files.stat('a.txt');
    await writeFile(join(root, 'a.txt'), 'someone else');
    const error = await failure(files.write('a.txt', Buffer.from('mine'), { expectedVersion: version }));
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('changed since it was read');
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('someone else');
    expect(await readdir(root)).toEqual(['a.txt']);
  });

  it('null as the version means the file must not exist yet', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a.txt'), 'there');
    const files = createFileOps({ roots: [root], fullAccess: false });
    await expect(files.write('a.txt', Buffer.from('x'), { expectedVersion: null })).rejects.toMatchObject({ kind: 'conflict' });
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('there');
  });

  it('two writes racing with the same version: one wins, the other is a conflict', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a.txt'), 'base');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const { version } = await files.stat('a.txt');
    const results = await Promise.allSettled([
      files.write('a.txt', slowly(['first', ' writer']), { expectedVersion: version }),
      files.write('a.txt', slowly(['second', ' writer']), { expectedVersion: version }),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as OpenmatesError).kind).toBe('conflict');
    expect(['first writer', 'second writer']).toContain(await readFile(join(root, 'a.txt'), 'utf8'));
  });

  it('two creations racing (null): exactly one file, whole', async () => {
    const root = await newTemp();
    const files = createFileOps({ roots: [root], fullAccess: false });
    const results = await Promise.allSettled([files.write('n.txt', slowly(['aaa', 'aaa']), { expectedVersion: null }), files.write('n.txt', slowly(['bbb', 'bbb']), { expectedVersion: null })]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(['aaaaaa', 'bbbbbb']).toContain(await readFile(join(root, 'n.txt'), 'utf8'));
  });

  it('a write into a folder that does not exist says to create it; writing a folder is refused', async () => {
    const root = await newTemp();
    const files = createFileOps({ roots: [root], fullAccess: false });
    await expect(files.write('no/such/a.txt', Buffer.from('x'))).rejects.toMatchObject({ kind: 'usage', hint: expect.stringContaining('mkdir') });
    await expect(files.write('.', Buffer.from('x'))).rejects.toMatchObject({ kind: 'usage' });
  });

  it('an aborted write leaves the old file and no temp file', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a.txt'), 'old');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const controller = new AbortController();
    async function* thenAbort(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('new part');
      controller.abort();
      yield Buffer.from('more');
    }
    await expect(files.write('a.txt', thenAbort(), { signal: controller.signal })).rejects.toMatchObject({ kind: 'interrupted' });
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('old');
    expect(await readdir(root)).toEqual(['a.txt']);
  });

  it('a process killed with SIGKILL in the middle of a 64 MiB write leaves the old file whole', async () => {
    const root = await newTemp();
    const target = join(root, 'data.bin');
    const old = Buffer.alloc(5 * 1024 * 1024, 0x6f);
    await writeFile(target, old);
    const child = spawn(process.execPath, ['--import', 'tsx', writer, target, '64', '32'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        if (data.toString().includes('halfway')) resolve();
        if (data.toString().includes('done')) reject(new Error('the writer finished before it was killed'));
      });
      child.on('exit', () => reject(new Error('the writer exited before halfway')));
    });
    // Half of the new content is on disk in the temp file now.
    const temps = (await readdir(root)).filter((name) => name.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect((await stat(join(root, temps[0]!))).size).toBe(32 * 1024 * 1024);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const after = await readFile(target);
    expect(after.length).toBe(old.length);
    expect(after.equals(old)).toBe(true);
  }, 60_000);

  it('the next write removes temp files a killed writer left, once they are stale, and nothing else', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'a.txt'), 'old');
    const stale = join(root, '.a.txt.openmates-0123456789ab.tmp');
    const fresh = join(root, '.a.txt.openmates-ba9876543210.tmp');
    const unrelated = join(root, '.a.txt.openmates-notes.tmp');
    for (const path of [stale, fresh, unrelated]) await writeFile(path, 'half');
    const longAgo = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    await utimes(stale, longAgo, longAgo);
    await utimes(unrelated, longAgo, longAgo);
    await createFileOps({ roots: [root], fullAccess: false }).write('a.txt', Buffer.from('new'));
    expect((await readdir(root)).sort()).toEqual(['.a.txt.openmates-ba9876543210.tmp', '.a.txt.openmates-notes.tmp', 'a.txt']);
  });

  it('the same writer left to finish replaces the file whole', async () => {
    const root = await newTemp();
    const target = join(root, 'data.bin');
    await writeFile(target, 'old');
    const child = spawn(process.execPath, ['--import', 'tsx', writer, target, '8', '-1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(0);
    const after = await readFile(target);
    expect(after.equals(Buffer.alloc(8 * 1024 * 1024, 0x6e))).toBe(true);
  }, 60_000);
});
