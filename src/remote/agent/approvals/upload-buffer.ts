import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { ensurePrivateFolder } from '../../../core/files/private-folder.js';
import { join } from 'node:path';
import { OpenmatesError } from '../../../core/errors.js';

/** Uploads up to this stay in memory; bigger ones spill to a 0600 file in the state dir. */
const UPLOAD_MEMORY_BYTES = 8 * 1024 * 1024;
/** An upload that waits for an approval is bounded: a person reviews it, it is not a bulk transfer. */
const UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;

/** An upload held while its approval is pending: its size, sha256, the bytes again on demand, and a clean-up. */
export interface BufferedUpload {
  size: number;
  sha256: string;
  /** The whole upload when it stayed in memory, else its first UPLOAD_MEMORY_BYTES. */
  head: Uint8Array;
  spilled: boolean;
  chunks(): AsyncIterable<Uint8Array>;
  dispose(): Promise<void>;
}

export async function bufferUpload(chunks: AsyncIterable<Uint8Array>, options: { spillDir: string; memoryBytes?: number; maxBytes?: number }): Promise<BufferedUpload> {
  const memoryBytes = options.memoryBytes ?? UPLOAD_MEMORY_BYTES;
  const maxBytes = options.maxBytes ?? UPLOAD_MAX_BYTES;
  const hash = createHash('sha256');
  const parts: Uint8Array[] = [];
  let size = 0;
  let file: { path: string; handle: FileHandle } | undefined;
  try {
    for await (const chunk of chunks) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new OpenmatesError('usage', `The upload is larger than ${maxBytes} bytes, the most a write that waits for approval may hold; nothing was written.`, 'Split it, or run the agent without safety mode for bulk transfers.');
      hash.update(chunk);
      if (!file && size > memoryBytes) {
        await ensurePrivateFolder(options.spillDir);
        const path = join(options.spillDir, `upload-${randomBytes(8).toString('hex')}.part`);
        file = { path, handle: await open(path, 'wx', 0o600) };
        for (const part of parts) await file.handle.write(part);
      }
      if (file) await file.handle.write(chunk);
      else parts.push(chunk.slice());
    }
  } catch (error) {
    if (file) {
      await file.handle.close().catch(() => undefined);
      await rm(file.path, { force: true });
    }
    throw error;
  }
  await file?.handle.close();
  const head = Buffer.concat(parts);
  const spilledPath = file?.path;
  return {
    size,
    sha256: hash.digest('hex'),
    head: spilledPath ? head.subarray(0, memoryBytes) : head,
    spilled: spilledPath !== undefined,
    chunks: spilledPath ? () => createReadStream(spilledPath, { highWaterMark: 64 * 1024 }) : async function* () {
      if (head.byteLength > 0) yield head;
    },
    dispose: async () => {
      if (spilledPath) await rm(spilledPath, { force: true });
    },
  };
}
