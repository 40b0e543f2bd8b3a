import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { BLOCK, fileHeader, paddingFor } from './tar-format.js';

const WRITE_BATCH = 1 << 20;
const HASH_READ = 4 << 20;

export interface WrittenEntry {
  name: string;
  bytes: number;
  sha256: string;
}

/**
 * Writes a tar archive into a file. Entries of unknown size (a volume streamed from the engine)
 * get a placeholder header that is rewritten in place once the size is known, so nothing is
 * staged in a temporary copy. The file is created 0600: archives hold .env secrets.
 */
export class TarFileWriter {
  private position = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  static async create(path: string): Promise<TarFileWriter> {
    // Read too: addWrittenBy hashes what another process appended.
    return new TarFileWriter(await open(path, 'wx+', 0o600), path);
  }

  private async write(data: Buffer, position = this.position): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
    if (position === this.position) this.position += data.length;
  }

  /** Appends several buffers with one writev (no copy into one big buffer). */
  private async writeAll(buffers: Buffer[]): Promise<void> {
    const total = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    const { bytesWritten } = await this.handle.writev(buffers, this.position);
    // A short write is rare for a regular file; finish it the simple way.
    if (bytesWritten < total) await this.write(Buffer.concat(buffers, total).subarray(bytesWritten), this.position + bytesWritten);
    this.position += total;
  }

  async addBuffer(name: string, data: Buffer, mode = 0o600): Promise<WrittenEntry> {
    await this.write(fileHeader(name, data.length, mode, new Date()));
    await this.write(data);
    await this.write(Buffer.alloc(paddingFor(data.length)));
    return { name, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /**
   * Copies a stream into one entry, hashing it on the way; `onBytes` gets the running total.
   * Chunks are gathered into batches of WRITE_BATCH bytes, and one batch is written while the
   * next is read: the engine sends ~50 kB chunks, and a write per chunk halves the throughput.
   */
  async addStream(name: string, source: AsyncIterable<Buffer | string>, onBytes?: (bytes: number) => void, mode = 0o600): Promise<WrittenEntry> {
    const headerAt = this.position;
    const mtime = new Date();
    // Same length as the real header: it depends on the name only.
    await this.write(Buffer.alloc(fileHeader(name, 0, mode, mtime).length));
    const hash = createHash('sha256');
    let bytes = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = async (): Promise<void> => {
      const buffers = batch;
      batch = [];
      batchBytes = 0;
      await writing;
      writing = this.writeAll(buffers);
      // A failed write surfaces at the next flush or at the end; keep it from being "unhandled" meanwhile.
      writing.catch(() => {});
    };
    for await (const chunk of source) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(data);
      batch.push(data);
      batchBytes += data.length;
      bytes += data.length;
      if (batchBytes >= WRITE_BATCH) await flush();
      onBytes?.(bytes);
    }
    if (batchBytes > 0) await flush();
    await writing;
    await this.write(Buffer.alloc(paddingFor(bytes)));
    await this.write(fileHeader(name, bytes, mode, mtime), headerAt);
    return { name, bytes, sha256: hash.digest('hex') };
  }

  /**
   * One entry written by another process straight into the file: `write` gets a descriptor that
   * appends (e.g. tar's stdout) and resolves once that process is done. What it writes is hashed
   * from the file as it grows, so no byte passes through this process's streams: a pipe costs
   * more than half the throughput of `tar` itself.
   */
  async addWrittenBy(name: string, write: (fd: number) => Promise<void>, mode = 0o600): Promise<WrittenEntry> {
    const headerAt = this.position;
    const mtime = new Date();
    await this.write(Buffer.alloc(fileHeader(name, 0, mode, mtime).length));
    const start = this.position;
    const appender = await open(this.path, 'a');
    let finished = false;
    const written = write(appender.fd).finally(() => {
      finished = true;
    });
    written.catch(() => {});
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(HASH_READ);
    let hashed = start;
    try {
      for (;;) {
        const wasFinished = finished;
        const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, hashed);
        if (bytesRead > 0) {
          hash.update(buffer.subarray(0, bytesRead));
          hashed += bytesRead;
        } else if (wasFinished) break;
        else await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await written;
    } finally {
      await appender.close();
    }
    const bytes = hashed - start;
    this.position = hashed;
    await this.write(Buffer.alloc(paddingFor(bytes)));
    await this.write(fileHeader(name, bytes, mode, mtime), headerAt);
    return { name, bytes, sha256: hash.digest('hex') };
  }

  /** Writes the end-of-archive marker, flushes to disk and closes. */
  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    await this.handle.sync();
    await this.handle.close();
  }

  /** Closes without finishing (the caller removes the file). */
  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}
