import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { BLOCK, isZeroBlock, paddingFor, parseHeader } from './tar-format.js';

export interface TarEntry {
  name: string;
  size: number;
  type: string;
  /** Where the entry's content starts in the file. */
  dataOffset: number;
}

export type TarIndex =
  | { ok: true; entries: TarEntry[]; fileBytes: number }
  | { ok: false; problem: string; entries: TarEntry[]; fileBytes: number };

/**
 * Walks an uncompressed tar file header by header (seeking over contents), so listing a
 * multi-gigabyte archive reads a few kilobytes. Reports a truncated file or a broken header
 * instead of throwing; throws only when the file cannot be read at all.
 */
export async function readTarIndex(path: string): Promise<TarIndex> {
  const handle = await open(path, 'r');
  try {
    const fileBytes = (await handle.stat()).size;
    const entries: TarEntry[] = [];
    const block = Buffer.alloc(BLOCK);
    const fail = (problem: string): TarIndex => ({ ok: false, problem, entries, fileBytes });
    let position = 0;
    for (;;) {
      if (position + BLOCK > fileBytes) {
        return fail(position === 0 ? 'the file is empty' : `it ends after ${position} bytes, before the end-of-archive marker (truncated)`);
      }
      await handle.read(block, 0, BLOCK, position);
      if (isZeroBlock(block)) {
        if (position + 2 * BLOCK > fileBytes) return fail('it ends inside the end-of-archive marker (truncated)');
        return { ok: true, entries, fileBytes };
      }
      const header = parseHeader(block);
      if (!header) return fail(`there is no valid tar header at byte ${position}`);
      const dataOffset = position + BLOCK;
      if (dataOffset + header.size > fileBytes) {
        return fail(`"${header.name}" should hold ${header.size} bytes but the file ends after ${fileBytes - dataOffset} of them (truncated)`);
      }
      entries.push({ name: header.name, size: header.size, type: header.type, dataOffset });
      position = dataOffset + header.size + paddingFor(header.size);
    }
  } finally {
    await handle.close();
  }
}

/** The content of one entry as a stream. */
export function entryStream(path: string, entry: TarEntry): Readable {
  // createReadStream's `end` is inclusive, and it refuses an empty range.
  if (entry.size === 0) return Readable.from([]);
  return createReadStream(path, { start: entry.dataOffset, end: entry.dataOffset + entry.size - 1, highWaterMark: 1 << 20 });
}

export async function readEntry(path: string, entry: TarEntry): Promise<Buffer> {
  if (entry.size === 0) return Buffer.alloc(0);
  const handle = await open(path, 'r');
  try {
    const data = Buffer.alloc(entry.size);
    await handle.read(data, 0, entry.size, entry.dataOffset);
    return data;
  } finally {
    await handle.close();
  }
}

export async function sha256OfEntry(path: string, entry: TarEntry, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  if (entry.size > 0) {
    for await (const chunk of entryStream(path, entry)) {
      if (signal?.aborted) throw new Error('aborted');
      hash.update(chunk as Buffer);
    }
  }
  return hash.digest('hex');
}
