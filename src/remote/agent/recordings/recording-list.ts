import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCastEvent, parseCastHeader } from './cast-format.js';
import { CAST_EXTENSION, terminalOfName } from './recording-name.js';

export interface RecordingInfo {
  name: string;
  path: string;
  bytes: number;
  startedAt: string;
  /** The device that opened the terminal. */
  device?: { id: string; name: string };
  terminal: string;
  /** The size the terminal started with. */
  cols: number;
  rows: number;
  /** The time of the last event (so far, for a session still running); absent when the end of the file could not be read. */
  durationSeconds?: number;
}

/** Lines longer than this are not looked for whole (a header is far shorter; an event line rarely longer). */
const MAX_LINE_BYTES = 1024 * 1024;

/** The recordings in `dir`, newest first; a file that is not a cast we can read is left out. */
export async function listRecordings(dir: string): Promise<RecordingInfo[]> {
  const names = await castNames(dir);
  const found = await Promise.all(names.map((name) => describeRecording(dir, name)));
  return found.filter((info) => info !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.name.localeCompare(a.name));
}

/** The names (without .cast) of the files in `dir` that may be recordings; none when there is no dir yet. */
export async function castNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((file) => file.endsWith(CAST_EXTENSION)).map((file) => file.slice(0, -CAST_EXTENSION.length));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function describeRecording(dir: string, name: string): Promise<RecordingInfo | undefined> {
  const path = join(dir, `${name}${CAST_EXTENSION}`);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined; // pruned or being removed meanwhile
  }
  try {
    const { size } = await handle.stat();
    const head = await readAt(handle, 0, Math.min(size, MAX_LINE_BYTES));
    const headerEnd = head.indexOf('\n');
    const header = parseCastHeader(headerEnd === -1 ? head : head.slice(0, headerEnd));
    if (!header) return undefined;
    const facts = header.openmates;
    const durationSeconds = headerEnd === -1 ? undefined : await lastEventTime(handle, size, Buffer.byteLength(head.slice(0, headerEnd + 1)));
    return {
      name,
      path,
      bytes: size,
      startedAt: facts?.startedAt ?? new Date((header.timestamp ?? (await stat(path)).mtimeMs / 1000) * 1000).toISOString(),
      ...(facts?.device ? { device: { id: facts.device.id, name: facts.device.name } } : {}),
      terminal: facts?.terminal ?? terminalOfName(name),
      cols: header.width,
      rows: header.height,
      ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    };
  } finally {
    await handle.close();
  }
}

/** The time of the file's last whole event line; 0 when there is none after the header. */
async function lastEventTime(handle: FileHandle, size: number, eventsStart: number): Promise<number | undefined> {
  if (size <= eventsStart) return 0;
  const from = Math.max(eventsStart, size - MAX_LINE_BYTES);
  const lines = (await readAt(handle, from, size - from)).split('\n');
  if (from > eventsStart) lines.shift(); // most likely the end of a longer line
  for (let index = lines.length - 1; index >= 0; index--) {
    const event = parseCastEvent(lines[index]!);
    if (event) return event.time;
  }
  return from > eventsStart ? undefined : 0;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.toString('utf8', 0, bytesRead);
}
