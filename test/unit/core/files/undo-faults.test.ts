import { spawn } from 'node:child_process';
import { lstat, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFileOps } from '../../../../src/core/files/index.js';
import { failure, useTempFolders } from './temp-tree.js';
import { journalled } from './undo-setup.js';

const newTemp = useTempFolders();
const MIB = 1024 * 1024;

describe('the undo journal\'s bounds', () => {
  it('refuses a change whose replaced content would overflow the size bound, before anything happens, and drops no history', async () => {
    const { files, journal, path } = await journalled(await newTemp(), { bounds: { maxBytes: MIB, maxAgeDays: 7 } });
    await writeFile(path('small.txt'), Buffer.alloc(600 * 1024, 1));
    await writeFile(path('big.txt'), Buffer.alloc(600 * 1024, 2));
    await files.write('small.txt', Buffer.from('replaced'));
    const refused = await failure(files.write('big.txt', Buffer.from('would overflow')));
    expect(refused.kind).toBe('refused');
    expect(refused.message).toContain('(614 kB)');
    expect(refused.message).toContain('bound of 1.0 MB');
    expect(refused.hint).toContain('undo-max-size 2MiB');
    expect(refused.hint).toContain('openmates config set undo-max-size');
    expect(refused.hint).toContain('undo-max-age');
    expect((await readFile(path('big.txt'))).equals(Buffer.alloc(600 * 1024, 2))).toBe(true);
    const removeRefused = await failure(files.remove('big.txt'));
    expect(removeRefused.kind).toBe('refused');
    expect((await lstat(path('big.txt'))).size).toBe(600 * 1024);
    const entries = await journal.list();
    expect(entries).toHaveLength(1);
    await journal.undo(entries[0]!.id);
    expect((await readFile(path('small.txt'))).equals(Buffer.alloc(600 * 1024, 1))).toBe(true);
  });

  it('prunes entries older than the age bound (and only those) on the next change or listing', async () => {
    const base = await newTemp();
    let now = new Date('2026-01-01T00:00:00Z');
    const { root, dir, open, path } = await journalled(base, { bounds: { maxBytes: MIB, maxAgeDays: 7 }, now: () => now });
    const journal = open();
    const files = createFileOps({ roots: [root], fullAccess: false }, { journal });
    await writeFile(path('a'), 'a0');
    await files.write('a', Buffer.from('a1'));
    const [old] = await journal.list();
    now = new Date('2026-01-06T00:00:00Z');
    await files.write('a', Buffer.from('a2'));
    now = new Date('2026-01-08T12:00:00Z');
    await files.write('a', Buffer.from('a3'));
    const left = await journal.list();
    expect(left).toHaveLength(2);
    expect(left.map((entry) => entry.id)).not.toContain(old!.id);
    expect(await readdir(dir)).not.toContain(old!.id);
    now = new Date('2026-01-13T12:00:00Z');
    expect((await journal.list()).map((entry) => entry.time)).toEqual(['2026-01-08T12:00:00.000Z']);
  });
});

describe('a damaged index', () => {
  it('is a clear error; nothing stored is removed and the file is not changed', async () => {
    const { files, journal, dir, path, open, root } = await journalled(await newTemp());
    await writeFile(path('f'), 'first');
    await files.write('f', Buffer.from('second'));
    const [entry] = await journal.list();
    await writeFile(join(dir, 'index.json'), '{"version":1,"entries":[{"id":');
    const fresh = open();
    const error = await failure(fresh.list());
    expect(error.kind).toBe('invalid-config');
    expect(error.message).toContain('index.json is damaged');
    expect(error.hint).toContain(`${dir}/<id>/before`);
    const again = createFileOps({ roots: [root], fullAccess: false }, { journal: fresh });
    expect((await failure(again.write('f', Buffer.from('third')))).kind).toBe('invalid-config');
    expect(await readFile(path('f'), 'utf8')).toBe('second');
    expect(await readFile(join(dir, entry!.id, 'before'), 'utf8')).toBe('first');
    expect(await readFile(join(dir, 'index.json'), 'utf8')).toBe('{"version":1,"entries":[{"id":');
  });
});

/** A crash at `step`: that step and everything after it (the abort too) fail, as if the process had died there. */
function crashAt(step: string) {
  let crashed = false;
  return (at: string) => {
    if (at === step) crashed = true;
    if (crashed) throw new Error(`crash at ${at}`);
  };
}

describe('a kill in the middle of recording leaves the file and the journal consistent', () => {
  for (const step of ['indexed', 'stored', 'changed'] as const) {
    it(`an overwrite killed after "${step}": the next open sees the old file and no entry, or the new file and an entry that undoes it`, async () => {
      const base = await newTemp();
      const { root, open, path } = await journalled(base);
      await writeFile(path('f'), 'old');
      const crashing = createFileOps({ roots: [root], fullAccess: false }, { journal: open({ fault: crashAt(step) }) });
      await crashing.write('f', Buffer.from('new')).catch(() => undefined);
      const journal = open();
      const entries = await journal.list();
      const now = await readFile(path('f'), 'utf8');
      if (step === 'changed') {
        expect(now).toBe('new');
        expect(entries).toHaveLength(1);
        await journal.undo(entries[0]!.id);
        expect(await readFile(path('f'), 'utf8')).toBe('old');
      } else {
        expect(now).toBe('old');
        expect(entries).toHaveLength(0);
      }
    });

    it(`a delete killed after "${step}": the file is in place, or in the journal with an entry that puts it back`, async () => {
      const { root, open, path } = await journalled(await newTemp());
      await writeFile(path('gone.txt'), 'keep me');
      const crashing = createFileOps({ roots: [root], fullAccess: false }, { journal: open({ fault: crashAt(step) }) });
      await crashing.remove('gone.txt').catch(() => undefined);
      const journal = open();
      const entries = await journal.list();
      if (step === 'indexed') {
        expect(await readFile(path('gone.txt'), 'utf8')).toBe('keep me');
        expect(entries).toHaveLength(0);
      } else {
        expect(entries).toHaveLength(1);
        await journal.undo(entries[0]!.id);
        expect(await readFile(path('gone.txt'), 'utf8')).toBe('keep me');
      }
    });

    it(`a move over a file killed after "${step}": both files are somewhere the journal knows`, async () => {
      const { root, open, path } = await journalled(await newTemp());
      await writeFile(path('a'), 'A');
      await writeFile(path('b'), 'B');
      const crashing = createFileOps({ roots: [root], fullAccess: false }, { journal: open({ fault: crashAt(step) }) });
      await crashing.move('a', 'b', { overwrite: true }).catch(() => undefined);
      const journal = open();
      const entries = await journal.list();
      if (entries.length === 1) await journal.undo(entries[0]!.id);
      expect(await readFile(path('a'), 'utf8')).toBe('A');
      expect(await readFile(path('b'), 'utf8')).toBe('B');
    });
  }
});

describe('a real kill -9 of a writer in the middle of a journalled overwrite', () => {
  it('leaves the old file whole, and the next open drops the pending entry and its kept copy', async () => {
    const { root, dir, open, path } = await journalled(await newTemp());
    const old = Buffer.alloc(2 * MIB, 0x6f);
    await writeFile(path('data.bin'), old);
    const writer = fileURLToPath(new URL('./slow-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path('data.bin'), '8', '4', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => (data.toString().includes('halfway') ? resolve() : reject(new Error(data.toString()))));
      child.on('exit', () => reject(new Error('the writer exited before halfway')));
    });
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { entries: { id: string; state: string }[] };
    expect(index.entries).toMatchObject([{ state: 'pending' }]);
    const pendingId = index.entries[0]!.id;
    expect((await lstat(join(dir, pendingId, 'before'))).ino).toBe((await lstat(path('data.bin'))).ino);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect((await readFile(path('data.bin'))).equals(old)).toBe(true);
    const journal = open();
    expect(await journal.list()).toEqual([]);
    expect(await readdir(dir)).toEqual(['index.json']);
    // And the journal works on: the next write is recorded and undone.
    await createFileOps({ roots: [root], fullAccess: false }, { journal }).write('data.bin', Buffer.from('new'));
    await journal.undo((await journal.list())[0]!.id);
    expect((await readFile(path('data.bin'))).equals(old)).toBe(true);
  }, 60_000);
});
