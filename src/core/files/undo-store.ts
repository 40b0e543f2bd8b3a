/** The file-system moves of the undo journal: keep a copy, take a whole tree, put one back, and the version of a path. */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, cp, link, lstat, open, readlink, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { versionOf } from './entries.js';
import { hasCode } from './file-errors.js';
import { typeOf } from './entries.js';
import { treeEntries, treeTotals } from './tree-walk.js';
import { fsyncFolder, tempNameFor } from './write-file.js';
import type { UndoBefore } from './undo-entry.js';

export const ABSENT = 'absent';

/**
 * A token that changes when `path` changes: a file's version (as files.stat gives it), a symlink's
 * target, a folder's whole tree (names, types, sizes, mtimes), or 'absent'.
 */
export async function versionOfPath(path: string): Promise<string> {
  const info = await lstat(path, { bigint: true }).catch((error: unknown) => {
    if (hasCode(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  });
  if (!info) return ABSENT;
  if (info.isFile()) return versionOf(info);
  if (info.isSymbolicLink()) return `l1-${info.ino.toString(36)}-${await readlink(path)}`;
  if (!info.isDirectory()) return `o1-${info.ino.toString(36)}`;
  const hash = createHash('sha256');
  for await (const { relative, info: below } of treeEntries(path)) {
    hash.update(Buffer.concat([relative, Buffer.from(`\0${typeOf(below)}\0${below.size}\0${below.mtimeNs}\0${below.mode}\n`)]));
  }
  return `d1-${hash.digest('hex').slice(0, 32)}`;
}

/** What `path` is, for the entry: type, mode, files and bytes (a folder counts its files; a symlink counts as one). */
export async function describe(path: string): Promise<UndoBefore & { exists: true }> {
  const info = await lstat(path);
  const type = typeOf(info);
  if (type !== 'directory') return { exists: true, type, mode: info.mode & 0o7777, files: 1, bytes: info.size };
  const { files, bytes } = await treeTotals(path);
  return { exists: true, type, mode: info.mode & 0o7777, files, bytes };
}

/** Keeps the file at `source` as `stored` without touching it: a hard link (no bytes copied), or a copy on another file system. */
export async function keepCopy(source: string, stored: string): Promise<void> {
  try {
    await link(source, stored);
  } catch (error) {
    // EXDEV: another file system; EPERM: protected_hardlinks refuses a file of another owner.
    if (!hasCode(error, 'EXDEV', 'EPERM', 'EMLINK')) throw error;
    await copyFile(source, stored, constants.COPYFILE_FICLONE);
    await chmod(stored, (await lstat(source)).mode & 0o7777);
  }
}

/** Moves `source` (file or folder) to `target`: a rename, or across file systems a whole copy first and then the removal. */
export async function moveWhole(source: string, target: string): Promise<void> {
  try {
    await rename(source, target);
  } catch (error) {
    if (!hasCode(error, 'EXDEV')) throw error;
    await cp(source, target, { recursive: true, errorOnExist: true, force: false, verbatimSymlinks: true, preserveTimestamps: true });
    await rm(source, { recursive: true, force: true });
  }
}

/** Puts the stored file back at `target` atomically (temp beside it, fsync, rename), with its recorded mode. */
export async function putFileBack(stored: string, target: string, mode: number): Promise<void> {
  const temp = tempNameFor(target);
  try {
    await moveWhole(stored, temp);
    await chmod(temp, mode);
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    // The stored content goes back where it was, so a failed undo loses nothing.
    await moveWhole(temp, stored).catch(() => undefined);
    throw error;
  }
  await fsyncFolder(dirname(target));
}


/** Same bytes? (Recovery after a crash uses it to tell whether a write happened when the journal had to copy.) */
export async function sameContent(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([lstat(a).catch(() => undefined), lstat(b).catch(() => undefined)]);
  if (!x || !y || !x.isFile() || !y.isFile()) return false;
  if (x.ino === y.ino && x.dev === y.dev) return true;
  if (x.size !== y.size) return false;
  const digest = async (path: string) => {
    const hash = createHash('sha256');
    const handle = await open(path, 'r');
    try {
      for await (const chunk of handle.createReadStream()) hash.update(chunk as Buffer);
    } finally {
      await handle.close().catch(() => undefined);
    }
    return hash.digest('hex');
  };
  return (await digest(a)) === (await digest(b));
}
