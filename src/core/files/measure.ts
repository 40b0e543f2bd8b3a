/** What a path holds (files, folders, bytes, a few names), for showing what a delete or a copy would touch. */
import { lstat } from 'node:fs/promises';
import { fileError } from './file-errors.js';
import { treeEntries } from './tree-walk.js';

export interface Measure {
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** Files below (a folder counts as none, a symlink as one). */
  files: number;
  /** Folders below, the path itself included when it is one. */
  folders: number;
  bytes: number;
  /** Up to `sampleSize` names relative to the path, in walk order (folders end with "/"). */
  sample: string[];
  /** The walk stopped at `maxEntries`: the counts are at least these. */
  partial: boolean;
}

const MEASURE_BOUNDS = { sampleSize: 10, maxEntries: 200_000 };

/** Walks without following symlinks; names that are not UTF-8 are counted and shown with replacement characters. */
export async function measurePath(real: string, shown: string, bounds = MEASURE_BOUNDS): Promise<Measure> {
  let info;
  try {
    info = await lstat(real);
  } catch (error) {
    throw fileError(error, 'measure', shown);
  }
  const type = info.isDirectory() ? 'directory' : info.isSymbolicLink() ? 'symlink' : info.isFile() ? 'file' : 'other';
  const result: Measure = { type, files: 0, folders: 0, bytes: 0, sample: [], partial: false };
  if (!info.isDirectory()) return { ...result, files: 1, bytes: info.size };
  result.folders = 1;
  let seen = 0;
  try {
    for await (const { relative, info: entry } of treeEntries(real)) {
      if (++seen > bounds.maxEntries) {
        result.partial = true;
        break;
      }
      const label = `${relative.toString('utf8')}${entry.isDirectory() ? '/' : ''}`;
      if (result.sample.length < bounds.sampleSize) result.sample.push(label);
      if (entry.isDirectory()) result.folders++;
      else {
        result.files++;
        result.bytes += Number(entry.size);
      }
    }
  } catch {
    // A folder below that cannot be read: what was counted so far, marked as a lower bound.
    result.partial = true;
  }
  return result;
}
