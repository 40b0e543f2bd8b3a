/** mkdir, copy, move (across devices too) and remove, on paths the scope has resolved. */
import { cp, lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OpenmatesError } from '../errors.js';
import { fileError, hasCode, refused } from './file-errors.js';
import { secretRefusal } from './read-file.js';
import { isInside } from './scope.js';
import { HEAD_BYTES, sensitivityOfContent, sensitivityOfPath } from './sensitive.js';
import { treeTotals } from './tree-walk.js';
import type { RecordedChange, Replaced, UndoActor, UndoJournal, UndoOp } from './undo-journal.js';

/** Where a change is recorded (the undo journal) and on whose behalf; absent: not recorded. */
export interface Recording {
  journal?: UndoJournal;
  actor?: UndoActor;
}

/** Runs `change` recorded in the journal (when there is one): committed when it succeeds, dropped when it fails. */
async function recorded<T>(recording: Recording, change: { op: UndoOp; path: string; from?: string }, replaced: Replaced, run: () => Promise<T>): Promise<T> {
  if (!recording.journal) return run();
  const entry: RecordedChange = await recording.journal.begin({ ...change, actor: recording.actor }, replaced);
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await entry.abort().catch(() => undefined);
    throw error;
  }
  await entry.commit();
  return result;
}

/** The top-most folder `mkdir -p real` would create (the first missing one on the way down). */
async function firstMissing(real: string): Promise<string> {
  let top = real;
  for (let parent = dirname(top); parent !== top; parent = dirname(top)) {
    if (await lstat(parent).then(() => true, () => false)) break;
    top = parent;
  }
  return top;
}

export async function makeFolder(real: string, shown: string, parents: boolean, recording: Recording = {}): Promise<{ path: string }> {
  try {
    const exists = await lstat(real).then(() => true, () => false);
    if (exists && !parents) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    if (exists) {
      if (!(await stat(real)).isDirectory()) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
      return { path: real };
    }
    const top = parents ? await firstMissing(real) : real;
    await recorded(recording, { op: 'mkdir', path: top }, { kind: 'nothing' }, async () => {
      await mkdir(real, { recursive: parents });
    });
    return { path: real };
  } catch (error) {
    throw fileError(error, 'create the folder', shown);
  }
}


/**
 * A secret may move or be copied only to a name that is just as secret (`.env` to `.env.backup`):
 * anywhere else its content would be readable under the new name.
 */
async function checkSecretStaysSecret(srcReal: string, srcShown: string, target: string, doing: string): Promise<void> {
  const from = sensitivityOfPath(srcShown) ?? sensitivityOfPath(srcReal);
  let content;
  if (!from) {
    const info = await stat(srcReal).catch(() => undefined);
    if (info?.isFile()) {
      const handle = await open(srcReal, 'r');
      try {
        const head = Buffer.alloc(HEAD_BYTES);
        const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
        content = sensitivityOfContent(srcReal, head.subarray(0, bytesRead));
      } finally {
        await handle.close();
      }
    }
  }
  const secret = from ?? content;
  if (!secret) return;
  const to = sensitivityOfPath(target);
  if (to?.kind === secret.kind && (secret.kind === 'env' || content === undefined)) return;
  if (secret.kind === 'secret') throw secretRefusal(srcShown, secret, `${doing} to a name that is not a secret's`);
  throw refused(srcShown, `it is a .env file, and ${doing === 'copy' ? 'a copy' : 'moving it'} to a name that is not .env* would show its values unmasked`, 'Give the target a .env* name (e.g. .env.backup).');
}

/** `dst` as `cp`/`mv` take it: an existing folder means "into it". */
async function targetFor(srcReal: string, dstReal: string, dstShown: string, overwrite: boolean): Promise<string> {
  const dstInfo = await stat(dstReal).catch(() => undefined);
  const target = dstInfo?.isDirectory() && dstReal !== srcReal ? join(dstReal, basename(srcReal)) : dstReal;
  if (target === srcReal) throw new OpenmatesError('usage', `${JSON.stringify(dstShown)} is the source itself.`, 'Choose another target.');
  if (isInside(target, srcReal)) throw new OpenmatesError('usage', `Cannot put a folder inside itself (${JSON.stringify(dstShown)}).`, 'Choose a target outside the source folder.');
  const targetInfo = await lstat(target).catch(() => undefined);
  if (targetInfo && !overwrite) throw new OpenmatesError('conflict', `${JSON.stringify(target)} already exists; nothing was overwritten.`, 'Pass overwrite to replace it, or choose another name.');
  if (targetInfo?.isDirectory()) throw new OpenmatesError('usage', `${JSON.stringify(target)} is a folder; a folder is not overwritten.`, 'Remove it first (recursive), or choose another name.');
  return target;
}

async function copyTree(srcReal: string, target: string, overwrite: boolean): Promise<void> {
  await cp(srcReal, target, { recursive: true, force: overwrite, errorOnExist: !overwrite, verbatimSymlinks: true, preserveTimestamps: true });
}

/**
 * A copy or move over an existing file: the old one is moved into the journal first (cp and the
 * cross-device move rewrite the target in place, so a hard link would see the new bytes).
 */
async function replacing(target: string): Promise<Replaced> {
  return (await lstat(target).catch(() => undefined)) ? { kind: 'take' } : { kind: 'nothing' };
}

export async function copyPath(srcReal: string, srcShown: string, dstReal: string, dstShown: string, overwrite: boolean, recording: Recording = {}): Promise<{ src: string; dst: string }> {
  try {
    const target = await targetFor(srcReal, dstReal, dstShown, overwrite);
    await checkSecretStaysSecret(srcReal, srcShown, target, 'copy');
    await recorded(recording, { op: 'copy', path: target }, await replacing(target), () => copyTree(srcReal, target, overwrite));
    return { src: srcReal, dst: target };
  } catch (error) {
    throw fileError(error, 'copy', srcShown);
  }
}

export async function movePath(srcReal: string, srcShown: string, dstReal: string, dstShown: string, overwrite: boolean, roots: string[], recording: Recording = {}): Promise<{ src: string; dst: string }> {
  try {
    if (roots.includes(srcReal)) throw refused(srcShown, 'it is a shared root folder', 'Move what is inside it instead.');
    await lstat(srcReal);
    const target = await targetFor(srcReal, dstReal, dstShown, overwrite);
    await checkSecretStaysSecret(srcReal, srcShown, target, 'move');
    await recorded(recording, { op: 'move', path: target, from: srcReal }, await replacing(target), async () => {
      try {
        await rename(srcReal, target);
      } catch (error) {
        if (!hasCode(error, 'EXDEV')) throw error;
        // Another device: copy, then remove the source once the copy is whole.
        await copyTree(srcReal, target, overwrite);
        await rm(srcReal, { recursive: true });
      }
    });
    return { src: srcReal, dst: target };
  } catch (error) {
    throw fileError(error, 'move', srcShown);
  }
}

export async function removePath(real: string, shown: string, recursive: boolean, roots: string[], recording: Recording = {}): Promise<{ path: string; files: number; bytes: number }> {
  try {
    if (roots.includes(real)) throw refused(shown, 'it is a shared root folder', 'Remove what is inside it instead.');
    const info = await lstat(real);
    if (info.isDirectory() && !recursive) {
      throw new OpenmatesError('usage', `Did not remove ${JSON.stringify(shown)}: it is a folder.`, 'Pass recursive (-r) to remove a folder and everything in it.');
    }
    const { files, bytes } = await treeTotals(real);
    // With a journal the removal IS the move into it (nothing is deleted until the entry ages out).
    if (recording.journal) await recorded(recording, { op: 'remove', path: real }, { kind: 'take' }, async () => {});
    else await rm(real, { recursive: info.isDirectory() });
    return { path: real, files, bytes };
  } catch (error) {
    throw fileError(error, 'remove', shown);
  }
}
