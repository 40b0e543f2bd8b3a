/**
 * Search by name and content under a folder, bounded by matches, bytes read and time. It skips
 * `.git` and `node_modules`, binary files (a NUL in the first 8 KiB), and the content of secret and
 * `.env` files; symlinks are not followed, so the walk stays where it started.
 */
import { lstat, open, readdir } from 'node:fs/promises';
import { OpenmatesError } from '../errors.js';
import { throwIfAborted } from './file-errors.js';
import { displayName, isUtf8Name } from './names.js';
import { HEAD_BYTES, sensitivityOfContent, sensitivityOfPath } from './sensitive.js';
import type { SearchMatch, SearchResult } from './types.js';

export const DEFAULT_SEARCH_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 1000;
export interface SearchBounds {
  limit: number;
  /** Content bytes read in all. */
  maxBytes: number;
  /** A file bigger than this is matched by name only. */
  maxFileBytes: number;
  timeMs: number;
  /** Folders the walk never enters (openmates' own state). */
  skip?: string[];
}
export const DEFAULT_SEARCH_BOUNDS: Omit<SearchBounds, 'limit'> = { maxBytes: 64 * 1024 * 1024, maxFileBytes: 4 * 1024 * 1024, timeMs: 5000 };
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);
const MAX_LINE_SHOWN = 200;

class Stop extends Error {}

function shownLine(line: string, at: number): string {
  if (line.length <= MAX_LINE_SHOWN) return line;
  const start = Math.max(0, Math.min(at - 40, line.length - MAX_LINE_SHOWN));
  return line.slice(start, start + MAX_LINE_SHOWN);
}

export async function searchFiles(root: string, text: string, bounds: SearchBounds, signal?: AbortSignal): Promise<SearchResult> {
  if (text.length === 0) throw new OpenmatesError('usage', 'The search text is empty.', 'Pass the text to look for.');
  if (!Number.isInteger(bounds.limit) || bounds.limit < 1 || bounds.limit > MAX_SEARCH_LIMIT) throw new OpenmatesError('usage', `The search limit ${bounds.limit} is not between 1 and ${MAX_SEARCH_LIMIT}.`);
  const needle = text.toLowerCase();
  const needleBytes = Buffer.from(text);
  const matches: SearchMatch[] = [];
  const deadline = Date.now() + bounds.timeMs;
  let bytesRead = 0;
  let truncated = false;

  const add = (match: SearchMatch) => {
    matches.push(match);
    if (matches.length >= bounds.limit) {
      truncated = true;
      throw new Stop();
    }
  };
  const checkBounds = () => {
    throwIfAborted(signal, root);
    if (Date.now() > deadline || bytesRead >= bounds.maxBytes) {
      truncated = true;
      throw new Stop();
    }
  };

  const searchContent = async (path: Buffer, shownPath: string, size: number) => {
    if (size === 0 || size > bounds.maxFileBytes || !isUtf8Name(path)) return;
    const asText = path.toString('utf8');
    if (sensitivityOfPath(asText)) return;
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return;
    let content: Buffer;
    try {
      content = Buffer.alloc(Math.min(size, bounds.maxBytes - bytesRead));
      const { bytesRead: got } = await handle.read(content, 0, content.length, 0);
      content = content.subarray(0, got);
    } finally {
      await handle.close();
    }
    bytesRead += content.length;
    const head = content.subarray(0, HEAD_BYTES);
    if (head.includes(0) || sensitivityOfContent(asText, head)) return;
    // Cheap byte test first: most files do not contain the text in any case.
    if (!content.includes(needleBytes) && !content.toString('utf8').toLowerCase().includes(needle)) return;
    const lines = content.toString('utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const at = lines[i]!.toLowerCase().indexOf(needle);
      if (at !== -1) add({ path: shownPath, kind: 'content', line: i + 1, text: shownLine(lines[i]!, at) });
    }
  };

  const skipped = new Set(bounds.skip ?? []);
  const walk = async (folder: Buffer, shownFolder: string): Promise<void> => {
    checkBounds();
    const names = await readdir(folder, { encoding: 'buffer' }).catch(() => [] as Buffer[]);
    names.sort(Buffer.compare);
    for (const raw of names) {
      checkBounds();
      const { name } = displayName(raw);
      const path = Buffer.concat([folder, Buffer.from(folder.at(-1) === 0x2f ? '' : '/'), raw]);
      const shownPath = shownFolder === '/' ? `/${name}` : `${shownFolder}/${name}`;
      const info = await lstat(path).catch(() => undefined);
      if (!info) continue;
      if (name.toLowerCase().includes(needle)) add({ path: shownPath, kind: 'name' });
      if (info.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(name) && !skipped.has(path.toString())) await walk(path, shownPath);
      } else if (info.isFile()) {
        await searchContent(path, shownPath, info.size);
      }
    }
  };

  try {
    await walk(Buffer.from(root), root);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return { matches, truncated };
}
