/**
 * Putting one journal entry's previous state back. The path must still be as the change left it
 * (its version is the recorded after-version), otherwise the undo is a 'conflict' that changes
 * nothing; with force the restored content goes beside it (`name.undo-<id>`), so both are kept.
 * What an undo replaces (the content the change had written) is kept in the entry's folder as
 * `after` until the entry ages out: an undo is itself not undoable, but it loses nothing.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OpenmatesError } from '../errors.js';
import type { UndoEntry } from './undo-entry.js';
import { ABSENT, describe, keepCopy, moveWhole, putFileBack, versionOfPath } from './undo-store.js';
import { fsyncFolder } from './write-file.js';

export interface UndoResult {
  id: string;
  op: UndoEntry['op'];
  /** One sentence: what is where now. */
  message: string;
  /** The paths that were put back (or removed, for an undone create). */
  restored: string[];
  /** With force: where the restored content went instead of over the changed file. */
  beside?: string;
  /** Bytes the entry keeps now of what the undo replaced. */
  keptBytes: number;
}

const besideName = (path: string, id: string) => `${path}.undo-${id}`;

function changedSince(entry: UndoEntry, what: string, hint: string): OpenmatesError {
  return new OpenmatesError('conflict', `Did not undo ${entry.id}: ${JSON.stringify(entry.path)} ${what} since the ${entry.op} (${entry.time}); nothing was changed.`, hint);
}

async function free(path: string): Promise<boolean> {
  return (await versionOfPath(path)) === ABSENT;
}

/** The previous state of `entry.path` goes to `target` (the path itself, or beside it). */
async function putBefore(entry: UndoEntry, folder: string, target: string): Promise<void> {
  const stored = join(folder, 'before');
  if (entry.before.exists && entry.before.type === 'file' && !(await free(target))) await putFileBack(stored, target, entry.before.mode);
  else {
    await moveWhole(stored, target);
    await fsyncFolder(dirname(target));
  }
}

export async function applyUndo(entry: UndoEntry, folder: string, force: boolean): Promise<UndoResult> {
  const now = await versionOfPath(entry.path);
  const unchanged = now === entry.after;
  const base = { id: entry.id, op: entry.op };
  const forceHint = `Pass --force to keep both: the previous state is then written beside it as ${besideName(entry.path, entry.id)}.`;

  if (entry.op === 'move') {
    const from = entry.from!;
    if (now === ABSENT) throw changedSince(entry, 'is gone', 'Nothing is left to move back.');
    if (!unchanged && !force) throw changedSince(entry, 'was changed', 'Pass --force to move it back as it is now.');
    const back = (await free(from)) ? from : force ? besideName(from, entry.id) : undefined;
    if (!back) throw new OpenmatesError('conflict', `Did not undo ${entry.id}: ${JSON.stringify(from)} exists again, so ${JSON.stringify(entry.path)} cannot move back; nothing was changed.`, `Pass --force to move it back as ${besideName(from, entry.id)}.`);
    await moveWhole(entry.path, back);
    const restored = [back];
    if (entry.before.exists) {
      await putBefore(entry, folder, entry.path);
      restored.push(entry.path);
    }
    return { ...base, restored, keptBytes: 0, ...(back !== from ? { beside: back } : {}), message: `Moved ${JSON.stringify(entry.path)} back to ${JSON.stringify(back)}${entry.before.exists ? ` and put back what it had replaced there` : ''}.` };
  }

  if (entry.op === 'remove') {
    if (now === ABSENT) {
      await mkdir(dirname(entry.path), { recursive: true });
      await putBefore(entry, folder, entry.path);
      return { ...base, restored: [entry.path], keptBytes: 0, message: `Put ${JSON.stringify(entry.path)} back (${entry.before.exists ? entry.before.files : 0} files).` };
    }
    if (!force) throw changedSince(entry, 'exists again', forceHint);
    const beside = besideName(entry.path, entry.id);
    if (!(await free(beside))) throw new OpenmatesError('conflict', `Did not undo ${entry.id}: ${JSON.stringify(beside)} exists already; nothing was changed.`, 'Move it away and try again.');
    await putBefore(entry, folder, beside);
    return { ...base, restored: [beside], beside, keptBytes: 0, message: `Put the removed ${JSON.stringify(entry.path)} back beside the new one, as ${JSON.stringify(beside)}.` };
  }

  // write, copy, mkdir: a create (nothing was there) or a replacement of a file.
  if (!entry.before.exists) {
    if (now === ABSENT) throw changedSince(entry, 'is gone', 'It was removed since it was created; there is nothing to undo.');
    if (!unchanged) throw changedSince(entry, 'was changed', `Undoing it would remove the later changes too; remove it yourself if that is what you want.`);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const kept = await describe(entry.path);
    await moveWhole(entry.path, join(folder, 'after'));
    await fsyncFolder(dirname(entry.path));
    return { ...base, restored: [entry.path], keptBytes: kept.bytes, message: `Removed ${JSON.stringify(entry.path)}, which the ${entry.op} had created (kept in the journal until it ages out).` };
  }
  if (!unchanged && !force) throw changedSince(entry, now === ABSENT ? 'is gone' : 'was changed', forceHint);
  if (!unchanged) {
    const beside = besideName(entry.path, entry.id);
    if (!(await free(beside))) throw new OpenmatesError('conflict', `Did not undo ${entry.id}: ${JSON.stringify(beside)} exists already; nothing was changed.`, 'Move it away and try again.');
    await putBefore(entry, folder, beside);
    return { ...base, restored: [beside], beside, keptBytes: 0, message: `Wrote the previous ${JSON.stringify(entry.path)} beside the changed one, as ${JSON.stringify(beside)}.` };
  }
  const info = await lstat(entry.path);
  await keepCopy(entry.path, join(folder, 'after'));
  await putBefore(entry, folder, entry.path);
  return { ...base, restored: [entry.path], keptBytes: info.size, message: `Put the previous ${JSON.stringify(entry.path)} back.` };
}
