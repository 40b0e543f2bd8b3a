/** Listing (paged, directories first then by name) and stat, with the version token writes check. */
import type { BigIntStats, Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { OpenmatesError } from '../errors.js';
import { fileError, hasCode } from './file-errors.js';
import { displayName } from './names.js';
import type { FileEntry, FileInfo, FileType, ListResult } from './types.js';

export const DEFAULT_LIST_LIMIT = 1000;
export const MAX_LIST_LIMIT = 10_000;

/** Changes whenever the file is replaced (inode), resized or modified (mtime in nanoseconds). */
export function versionOf(info: BigIntStats): string {
  return `v1-${info.ino.toString(36)}-${info.size.toString(36)}-${info.mtimeNs.toString(36)}`;
}

export function typeOf(info: { isSymbolicLink(): boolean; isDirectory(): boolean; isFile(): boolean }): FileType {
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isDirectory()) return 'directory';
  if (info.isFile()) return 'file';
  return 'other';
}

export async function statFile(real: string, shown: string): Promise<FileInfo> {
  try {
    const info = await stat(real, { bigint: true });
    const name = real === '/' ? '/' : real.slice(real.lastIndexOf('/') + 1);
    return { path: real, name, type: typeOf(info), size: Number(info.size), mode: Number(info.mode) & 0o7777, mtimeMs: Number(info.mtimeMs), version: versionOf(info) };
  } catch (error) {
    throw fileError(error, 'stat', shown);
  }
}

function checkPage(page: { offset?: number; limit?: number }): { offset: number; limit: number } {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(offset) || offset < 0) throw new OpenmatesError('usage', `The list offset ${offset} is not a whole number of 0 or more.`);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new OpenmatesError('usage', `The list limit ${limit} is not between 1 and ${MAX_LIST_LIMIT}.`);
  return { offset, limit };
}

function byDirectoryThenName(a: { isDir: boolean; name: string }, b: { isDir: boolean; name: string }): number {
  if (a.isDir !== b.isDir) return a.isDir ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export async function listFolder(real: string, shown: string, page: { offset?: number; limit?: number } = {}): Promise<ListResult> {
  const { offset, limit } = checkPage(page);
  let dirents: Dirent<Buffer>[];
  try {
    dirents = await readdir(real, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    if (hasCode(error, 'ENOTDIR')) throw new OpenmatesError('usage', `Cannot list ${JSON.stringify(shown)}: it is a file, not a folder.`, 'Use stat or read for a file.');
    throw fileError(error, 'list', shown);
  }
  const sorted = dirents
    .map((dirent) => ({ dirent, isDir: dirent.isDirectory(), ...displayName(dirent.name) }))
    .sort(byDirectoryThenName);
  const entries: FileEntry[] = [];
  for (const { dirent, name, escaped } of sorted.slice(offset, offset + limit)) {
    const entry: FileEntry = { name, type: typeOf(dirent), size: 0, mode: 0, mtimeMs: 0, ...(escaped ? { escaped } : {}) };
    try {
      // The raw bytes, so a name that is not UTF-8 is found too.
      const info = await lstat(Buffer.concat([Buffer.from(real === '/' ? '/' : `${real}/`), dirent.name]));
      entry.size = info.size;
      entry.mode = info.mode & 0o7777;
      entry.mtimeMs = info.mtimeMs;
    } catch {
      // Gone between readdir and lstat: listed with what readdir knew.
    }
    entries.push(entry);
  }
  const next = offset + entries.length;
  return { path: real, entries, total: sorted.length, ...(next < sorted.length ? { nextOffset: next } : {}) };
}
