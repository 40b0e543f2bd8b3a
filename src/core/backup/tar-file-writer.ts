import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { BLOCK, fileHeader, paddingFor } from './tar-format.js';

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
    return new TarFileWriter(await open(path, 'wx', 0o600), path);
  }

  private async write(data: Buffer, position = this.position): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
    if (position === this.position) this.position += data.length;
  }

  async addBuffer(name: string, data: Buffer, mode = 0o600): Promise<WrittenEntry> {
    await this.write(fileHeader(name, data.length, mode, new Date()));
    await this.write(data);
    await this.write(Buffer.alloc(paddingFor(data.length)));
    return { name, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /** Copies a stream into one entry, hashing it on the way; `onBytes` gets the running total. */
  async addStream(name: string, source: AsyncIterable<Buffer | string>, onBytes?: (bytes: number) => void, mode = 0o600): Promise<WrittenEntry> {
    const headerAt = this.position;
    const mtime = new Date();
    await this.write(Buffer.alloc(BLOCK));
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of source) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(data);
      await this.write(data);
      bytes += data.length;
      onBytes?.(bytes);
    }
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
