/**
 * The undo journal: every file change made through createFileOps({journal}) keeps what it
 * replaced under `<stateDir>/undo/<id>/before` (0700 folders, the index 0600), so it can be put
 * back. Bounded by size and age: entries older than the age go; a change that would overflow the
 * size is refused before anything happens, never by dropping history.
 *
 * Recording a change: (1) the entry goes into the index as pending, (2) what will be replaced is
 * kept (a hard link, a copy on another file system; a delete moves the thing itself), (3) the
 * change runs, (4) the entry is marked done with the version it left. A crash between any two
 * steps leaves a pending entry that the next open resolves by looking at the files: the change
 * happened (done) or it did not (the entry goes, and a delete's moved file is still in the journal
 * as a done entry, never lost).
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenmatesError } from '../errors.js';
import { formatBytes } from '../format-bytes.js';
import { ensurePrivateFolder } from './private-folder.js';
import { applyUndo, type UndoResult } from './undo-apply.js';
import { newUndoId, readUndoIndex, writeUndoIndex, type UndoActor, type UndoBefore, type UndoEntry, type UndoOp } from './undo-entry.js';
import { ABSENT, describe, keepCopy, moveWhole, sameContent, versionOfPath } from './undo-store.js';

export type { UndoActor, UndoEntry, UndoOp } from './undo-entry.js';
export type { UndoResult } from './undo-apply.js';

export const LOCAL_ACTOR: UndoActor = { id: 'local', name: 'local' };

export interface UndoBounds {
  maxBytes: number;
  maxAgeDays: number;
}

export interface UndoJournalOptions {
  /** The journal's folder (the agent's `<stateDir>/undo`). */
  dir: string;
  /** Read before each change, so `openmates config set undo-max-size` applies at once. */
  bounds: () => Promise<UndoBounds>;
  now?: () => Date;
  /** Tests: called between the steps of recording; throwing there stands in for a crash. */
  fault?: (step: 'indexed' | 'stored' | 'changed' | 'abort') => void;
}

/** What a change is about to replace at `path`: nothing, a file it will replace (kept as a copy), or what it removes (moved in). */
export type Replaced = { kind: 'nothing' } | { kind: 'replace' } | { kind: 'take' };

export interface RecordedChange {
  readonly id: string;
  /** The change is done: the entry gets the version it left. */
  commit(): Promise<void>;
  /** The change did not happen: the entry goes (a taken item goes back first). */
  abort(): Promise<void>;
}

export interface UndoJournal {
  readonly dir: string;
  /** Starts recording; refuses ('refused') when what it replaces would overflow the size bound. */
  begin(change: { op: UndoOp; path: string; from?: string; actor?: UndoActor }, replaced: Replaced): Promise<RecordedChange>;
  /** Newest first. */
  list(limit?: number): Promise<UndoEntry[]>;
  undo(id: string, options?: { force?: boolean; actor?: UndoActor }): Promise<UndoResult>;
}

export function openUndoJournal(options: UndoJournalOptions): UndoJournal {
  const indexPath = join(options.dir, 'index.json');
  const now = options.now ?? (() => new Date());
  const fault = options.fault ?? (() => {});
  let entries: UndoEntry[] | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  /** Index changes take turns, so two changes never write the index from stale copies. */
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const entryDir = (id: string) => join(options.dir, id);
  const save = () => writeUndoIndex(indexPath, entries!);

  const load = async (): Promise<UndoEntry[]> => {
    if (entries) return entries;
    await ensurePrivateFolder(options.dir);
    const loaded = await readUndoIndex(indexPath, options.dir);
    entries = loaded;
    let changed = false;
    for (const entry of loaded.filter((candidate) => candidate.state === 'pending')) {
      await resolvePending(entry);
      changed = true;
    }
    if (changed) await save();
    return entries;
  };

  /** After a crash: did the change happen? Decided from the files, never by throwing anything stored away. */
  const resolvePending = async (entry: UndoEntry) => {
    const stored = join(entryDir(entry.id), 'before');
    const hasStored = (await lstat(stored).catch(() => undefined)) !== undefined;
    let happened: boolean;
    if (entry.op === 'remove') happened = hasStored;
    else if (entry.op === 'move') happened = (await versionOfPath(entry.from!)) === ABSENT && (await versionOfPath(entry.path)) !== ABSENT;
    else if (!entry.before.exists) happened = (await versionOfPath(entry.path)) !== ABSENT;
    else happened = hasStored && (await versionOfPath(entry.path)) !== ABSENT && !(await sameContent(stored, entry.path));
    if (entry.before.exists && !hasStored) happened = false; // nothing was kept, so nothing was replaced through us
    if (happened) {
      entry.state = 'done';
      entry.after = await versionOfPath(entry.path);
      return;
    }
    // Taken in (moved) but the change never ran: it goes back where it was.
    if (hasStored && (await versionOfPath(entry.path)) === ABSENT) await moveWhole(stored, entry.path);
    entries = entries!.filter((candidate) => candidate !== entry);
    await rm(entryDir(entry.id), { recursive: true, force: true });
  };

  const pruneByAge = async (bounds: UndoBounds) => {
    const oldest = now().getTime() - bounds.maxAgeDays * 86_400_000;
    const old = entries!.filter((entry) => entry.state !== 'pending' && Date.parse(entry.time) < oldest);
    if (old.length === 0) return;
    entries = entries!.filter((entry) => !old.includes(entry));
    await save();
    for (const entry of old) await rm(entryDir(entry.id), { recursive: true, force: true });
  };

  const refuseOverflow = (op: UndoOp, path: string, size: number, bounds: UndoBounds) => {
    const held = entries!.reduce((sum, entry) => sum + entry.bytes, 0);
    if (held + size <= bounds.maxBytes) return;
    throw new OpenmatesError(
      'refused',
      `Refused to ${op} ${JSON.stringify(path)}: keeping what it replaces (${formatBytes(size)}) would take the undo journal to ${formatBytes(held + size)}, past its bound of ${formatBytes(bounds.maxBytes)}; nothing was changed.`,
      `Raise the bound (openmates config set undo-max-size ${Math.ceil(Math.max(bounds.maxBytes * 2, held + size) / 1024 ** 2)}MiB) or shorten how long changes are kept (openmates config set undo-max-age 1d) so older entries are pruned; \`openmates remote-access undo\` lists what it holds.`,
    );
  };

  return {
    dir: options.dir,
    async begin(change, replaced) {
      const { entry, kept } = await inTurn(async () => {
        await load();
        const bounds = await options.bounds();
        await pruneByAge(bounds);
        const before: UndoBefore = replaced.kind === 'nothing' ? { exists: false } : await describe(change.path);
        refuseOverflow(change.op, change.path, before.exists ? before.bytes : 0, bounds);
        const entry: UndoEntry = {
          id: newUndoId((id) => entries!.some((other) => other.id === id), (size) => randomBytes(size)),
          time: now().toISOString(),
          device: change.actor ?? LOCAL_ACTOR,
          op: change.op,
          path: change.path,
          ...(change.from !== undefined ? { from: change.from } : {}),
          before,
          bytes: before.exists ? before.bytes : 0,
          state: 'pending',
        };
        entries!.push(entry);
        await save();
        fault('indexed');
        if (!before.exists) return { entry, kept: false };
        const stored = join(entryDir(entry.id), 'before');
        try {
          await mkdir(entryDir(entry.id), { mode: 0o700 });
          if (replaced.kind === 'take') await moveWhole(change.path, stored);
          else await keepCopy(change.path, stored);
        } catch (error) {
          // Could not keep it (permissions, disk full): the change does not run, and the entry goes.
          entries = entries!.filter((candidate) => candidate !== entry);
          await save();
          // A half-done move across file systems may hold the only copy of some files: then its folder stays.
          if (replaced.kind !== 'take' || (await versionOfPath(stored)) === ABSENT) await rm(entryDir(entry.id), { recursive: true, force: true });
          throw error;
        }
        fault('stored');
        return { entry, kept: true };
      });
      const finish = (task: () => Promise<void>) => inTurn(task);
      return {
        id: entry.id,
        commit: () =>
          finish(async () => {
            fault('changed');
            entry.after = await versionOfPath(entry.path);
            entry.state = 'done';
            await save();
          }),
        abort: () =>
          finish(async () => {
            fault('abort');
            if (replaced.kind === 'take' && kept) await moveWhole(join(entryDir(entry.id), 'before'), entry.path);
            entries = entries!.filter((candidate) => candidate !== entry);
            await save();
            await rm(entryDir(entry.id), { recursive: true, force: true });
          }),
      };
    },
    async list(limit) {
      const all = await inTurn(async () => {
        await load();
        await pruneByAge(await options.bounds());
        return entries!;
      });
      const done = all.filter((entry) => entry.state !== 'pending').reverse();
      return limit === undefined ? done : done.slice(0, limit);
    },
    undo(id, undoOptions = {}) {
      return inTurn(async () => {
        await load();
        const entry = entries!.find((candidate) => candidate.id === id.trim().toLowerCase());
        if (!entry || entry.state === 'pending') {
          throw new OpenmatesError('usage', `There is no change ${JSON.stringify(id)} in the undo journal.`, 'List them with `openmates remote-access undo` (entries older than undo-max-age are pruned).');
        }
        if (entry.state === 'undone') {
          throw new OpenmatesError('conflict', `Change ${entry.id} was already undone (${entry.undone?.time ?? 'earlier'} by ${entry.undone?.device.name ?? 'someone'}); nothing was changed.`, 'An undo is not undone again; make the change anew if you want it back.');
        }
        const result = await applyUndo(entry, entryDir(entry.id), undoOptions.force ?? false);
        entry.state = 'undone';
        entry.bytes += result.keptBytes;
        entry.undone = { time: now().toISOString(), device: undoOptions.actor ?? LOCAL_ACTOR, restored: result.restored };
        await save();
        return result;
      });
    },
  };
}
