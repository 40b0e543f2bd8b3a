/**
 * Atomic writes: the bytes go to a temp file in the same folder, are fsynced, and the temp file is
 * renamed over the target (then the folder is fsynced), so a crash at any moment leaves the old
 * file or the new one, never half of either. The file's mode is kept.
 *
 * With an expected version, the target is checked before writing and again just before the rename:
 * a file that changed is a 'conflict' and nothing is overwritten. Writes from this process to the
 * same path take turns (another process's write can still land in the short gap between that last
 * check and the rename: POSIX has no compare-and-rename). `null` means "must not exist": the temp file is hard-linked into place,
 * which fails if anything created the name meanwhile, so that case has no window at all.
 * Temp files left by a killed writer are removed by the next write of the same file.
 */
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { link, lstat, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OpenmatesError } from '../errors.js';
import { versionOf } from './entries.js';
import { fileError, hasCode, throwIfAborted } from './file-errors.js';
import type { RecordedChange, UndoActor, UndoJournal } from './undo-journal.js';

const turns = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task for the same key has settled. */
async function inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
  const before = turns.get(key) ?? Promise.resolve();
  const mine = before.then(task, task);
  const settled = mine.catch(() => undefined);
  turns.set(key, settled);
  try {
    return await mine;
  } finally {
    if (turns.get(key) === settled) turns.delete(key);
  }
}

async function currentStat(real: string, shown: string): Promise<BigIntStats | undefined> {
  try {
    const info = await stat(real, { bigint: true });
    if (info.isDirectory()) throw fileError(Object.assign(new Error('directory'), { code: 'EISDIR' }), 'write', shown);
    if (!info.isFile()) throw new OpenmatesError('usage', `Cannot write ${JSON.stringify(shown)}: it is not a regular file.`);
    return info;
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function checkExpected(shown: string, current: BigIntStats | undefined, expected: string | null | undefined): void {
  if (expected === undefined) return;
  if (expected === null) {
    if (current) throw new OpenmatesError('conflict', `Did not write ${JSON.stringify(shown)}: it already exists, and the write expected a new file.`, 'Read it first and write with its version, or choose another name.');
    return;
  }
  if (!current) throw new OpenmatesError('conflict', `Did not write ${JSON.stringify(shown)}: it was deleted since it was read.`, 'Write without a version (or with null) to create it again.');
  if (versionOf(current) !== expected) throw new OpenmatesError('conflict', `Did not write ${JSON.stringify(shown)}: it changed since it was read (version ${expected}, now ${versionOf(current)}).`, 'Read it again, merge your change, and write with the new version.');
}

async function* asChunks(data: AsyncIterable<Uint8Array> | Uint8Array): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) yield data;
  else yield* data;
}

export async function fsyncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const TEMP_INFIX = '.openmates-';
/** A temp file this old is left from a writer that died (kill -9, power loss): no live write takes this long to touch its file. */
export const STALE_TEMP_MS = 10 * 60 * 1000;

export function tempNameFor(real: string): string {
  return join(dirname(real), `.${basename(real)}${TEMP_INFIX}${randomBytes(6).toString('hex')}.tmp`);
}

/** Removes temp files an earlier, killed write of the same file left behind. */
async function removeStaleTemps(real: string): Promise<void> {
  const prefix = `.${basename(real)}${TEMP_INFIX}`;
  const names = await readdir(dirname(real)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) continue;
    const path = join(dirname(real), name);
    const info = await lstat(path).catch(() => undefined);
    if (info?.isFile() && Date.now() - info.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => undefined);
  }
}

export async function writeFileAtomic(
  real: string,
  shown: string,
  data: AsyncIterable<Uint8Array> | Uint8Array,
  options: { expectedVersion?: string | null; signal?: AbortSignal; journal?: UndoJournal; actor?: UndoActor } = {},
): Promise<{ path: string; version: string; bytes: number }> {
  return inTurn(real, async () => {
    const temp = tempNameFor(real);
    let tempExists = false;
    let recorded: RecordedChange | undefined;
    try {
      const folder = await stat(dirname(real)).catch((error: unknown) => {
        throw hasCode(error, 'ENOENT') ? new OpenmatesError('usage', `Cannot write ${JSON.stringify(shown)}: its folder does not exist.`, 'Create the folder first (mkdir).') : error;
      });
      if (!folder.isDirectory()) throw fileError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), 'write', shown);
      const before = await currentStat(real, shown);
      checkExpected(shown, before, options.expectedVersion);
      await removeStaleTemps(real);
      // Recorded before the upload: a change the journal cannot keep is refused before any byte is written.
      recorded = await options.journal?.begin({ op: 'write', path: real, actor: options.actor }, before ? { kind: 'replace' } : { kind: 'nothing' });
      const mode = before ? Number(before.mode) & 0o7777 : 0o666;
      const handle = await open(temp, 'wx', mode);
      tempExists = true;
      let bytes = 0;
      try {
        // open() applied the umask; a replaced file keeps exactly its mode.
        if (before) await handle.chmod(mode);
        for await (const chunk of asChunks(data)) {
          throwIfAborted(options.signal, shown);
          let at = 0;
          while (at < chunk.length) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
          bytes += chunk.length;
        }
        throwIfAborted(options.signal, shown);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (options.expectedVersion === null) {
        try {
          await link(temp, real);
        } catch (error) {
          if (hasCode(error, 'EEXIST')) checkExpected(shown, await currentStat(real, shown), null);
          throw error;
        }
        await unlink(temp);
      } else {
        if (options.expectedVersion !== undefined) checkExpected(shown, await currentStat(real, shown), options.expectedVersion);
        await rename(temp, real);
      }
      tempExists = false;
      const done = recorded;
      recorded = undefined;
      await fsyncFolder(dirname(real));
      await done?.commit();
      return { path: real, version: versionOf(await stat(real, { bigint: true })), bytes };
    } catch (error) {
      if (tempExists) await unlink(temp).catch(() => undefined);
      await recorded?.abort().catch(() => undefined);
      throw fileError(error, 'write', shown);
    }
  });
}
