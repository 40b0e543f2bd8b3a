/** Walking a folder's tree: Buffer paths, so names that are not UTF-8 are walked like any other. */
import type { BigIntStats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { hasCode } from './file-errors.js';

export interface TreeEntry {
  path: Buffer;
  /** The path below the walk's root, without a leading slash. */
  relative: Buffer;
  info: BigIntStats;
}

const SLASH = Buffer.from('/');

/**
 * Every entry below `root` (not `root` itself), depth first in byte order of names, without
 * following symlinks. An entry that vanishes during the walk is skipped; any other error throws.
 */
export async function* treeEntries(root: string | Buffer, relative: Buffer = Buffer.alloc(0)): AsyncGenerator<TreeEntry> {
  const folder = typeof root === 'string' ? Buffer.from(root) : root;
  const names = (await readdir(folder, { encoding: 'buffer' })).sort(Buffer.compare);
  for (const name of names) {
    const path = Buffer.concat([folder, SLASH, name]);
    const info = await lstat(path, { bigint: true }).catch((error: unknown) => {
      if (hasCode(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (!info) continue;
    const below = relative.length > 0 ? Buffer.concat([relative, SLASH, name]) : name;
    yield { path, relative: below, info };
    if (info.isDirectory()) yield* treeEntries(path, below);
  }
}

/** Files (a folder counts as none, a symlink as one) and bytes of what `path` is. */
export async function treeTotals(path: string | Buffer): Promise<{ files: number; bytes: number }> {
  const info = await lstat(path);
  if (!info.isDirectory()) return { files: 1, bytes: info.size };
  let files = 0;
  let bytes = 0;
  for await (const entry of treeEntries(path)) {
    if (entry.info.isDirectory()) continue;
    files++;
    bytes += Number(entry.info.size);
  }
  return { files, bytes };
}
