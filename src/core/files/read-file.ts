/**
 * Reading a file as chunks of 64 KiB, binary-safe, bounded by a size limit the caller can raise.
 * Secrets are checked first: by name, then by the first 8 KiB (a PEM private key). `.env` files
 * come back masked.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { OpenmatesError } from '../errors.js';
import { maskEnvText } from './env-mask.js';
import { fileError, refused, throwIfAborted } from './file-errors.js';
import { versionOf } from './entries.js';
import { HEAD_BYTES, sensitivityOfContent, sensitivityOfPath, type Sensitivity } from './sensitive.js';
import type { ReadResult } from './types.js';

export const READ_CHUNK_BYTES = 64 * 1024;
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;
/** A .env file is masked in memory: beyond this it is not a .env file anyone wrote by hand. */
const MAX_ENV_BYTES = 1024 * 1024;

export function secretRefusal(shown: string, sensitivity: Sensitivity & { kind: 'secret' }, doing = 'read'): OpenmatesError {
  return refused(shown, `${sensitivity.reason}, and secrets are never sent (${doing})`, 'Work with it on the server itself; remote access does not hand out secret files.');
}

/** The path's and the content's sensitivity; refuses a secret. */
export async function checkReadable(handle: FileHandle, real: string, shown: string, doing = 'read'): Promise<Sensitivity | undefined> {
  const byPath = sensitivityOfPath(shown) ?? sensitivityOfPath(real);
  if (byPath?.kind === 'secret') throw secretRefusal(shown, byPath, doing);
  const head = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
  const byContent = sensitivityOfContent(real, head.subarray(0, bytesRead));
  if (byContent?.kind === 'secret') throw secretRefusal(shown, byContent, doing);
  return byPath;
}

/** Opens the file again when the caller starts reading (so an unread result holds no handle), and checks it is still the version stat saw. */
async function* fileChunks(real: string, version: string, size: number, shown: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(real, 'r');
    if (versionOf(await handle.stat({ bigint: true })) !== version) {
      throw new OpenmatesError('conflict', `${JSON.stringify(shown)} changed between its stat and its read.`, 'Read it again.');
    }
    let position = 0;
    while (position < size) {
      throwIfAborted(signal, shown);
      const buffer = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, size - position));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } catch (error) {
    throw fileError(error, 'read', shown);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += READ_CHUNK_BYTES) yield bytes.subarray(at, at + READ_CHUNK_BYTES);
}

export async function readFileChunks(real: string, shown: string, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<ReadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new OpenmatesError('usage', `The read limit ${maxBytes} is not a whole number of bytes.`);
  let handle: FileHandle;
  try {
    handle = await open(real, 'r');
  } catch (error) {
    throw fileError(error, 'read', shown);
  }
  try {
    const info = await handle.stat({ bigint: true });
    if (info.isDirectory()) throw fileError(Object.assign(new Error('directory'), { code: 'EISDIR' }), 'read', shown);
    if (!info.isFile()) throw new OpenmatesError('usage', `Cannot read ${JSON.stringify(shown)}: it is not a regular file (a device, socket or pipe).`);
    const sensitivity = await checkReadable(handle, real, shown);
    const size = Number(info.size);
    const version = versionOf(info);
    if (size > maxBytes) {
      throw new OpenmatesError('usage', `Cannot read ${JSON.stringify(shown)}: it has ${size} bytes, more than the limit of ${maxBytes}.`, 'Raise the limit (maxBytes / --max-bytes) to read it whole.');
    }
    if (sensitivity?.kind === 'env') {
      if (size > MAX_ENV_BYTES) throw refused(shown, `it is a .env file of ${size} bytes, too big to mask`, 'Look at it on the server itself.');
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      const masked = Buffer.from(maskEnvText(buffer.subarray(0, bytesRead).toString('utf8')));
      return { path: real, size: masked.length, version, redactedEnv: true, chunks: once(masked) };
    }
    return { path: real, size, version, redactedEnv: false, chunks: fileChunks(real, version, size, shown, options.signal) };
  } catch (error) {
    throw fileError(error, 'read', shown);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
