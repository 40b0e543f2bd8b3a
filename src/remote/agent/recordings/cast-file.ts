import type { FileHandle } from 'node:fs/promises';
import { messageOf } from '../../../core/errors.js';
import { formatBytes } from '../../../core/format-bytes.js';

/** Lines waiting for the disk past this mean it cannot keep up: the recording stops rather than grow memory. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

/**
 * One recording's file, appended in order through one write at a time (what piled up meanwhile
 * goes in the next). Appending never waits and never throws: a failure (disk full, the file gone),
 * the size bound or a disk that cannot keep up stops the recording once, with `onStop(why)`; the
 * lines taken before are still written (unless writing failed), so the file stays a valid cast.
 */
export class CastFile {
  private lines: string[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | undefined;
  private stopped = false;
  /** Bytes taken (written or queued). */
  bytes = 0;
  /** Set once the settings are read; until then nothing is refused for size. */
  maxBytes = Infinity;

  constructor(
    private readonly opening: Promise<FileHandle>,
    private readonly onStop: (why: string) => void,
  ) {
    opening.catch(() => undefined);
  }

  /** True once it stopped taking lines (for whatever reason): the caller may stop producing them. */
  get isStopped(): boolean {
    return this.stopped;
  }

  append(line: string): void {
    if (this.stopped) return;
    const size = Buffer.byteLength(line);
    if (this.bytes + size > this.maxBytes) return this.stop(`it reached ${formatBytes(this.bytes)}, the bound for recordings (undo-max-size ${formatBytes(this.maxBytes)})`);
    if (this.queuedBytes + size > MAX_QUEUED_BYTES) return this.stop(`the disk did not keep up (${formatBytes(this.queuedBytes)} waiting to be written)`);
    this.bytes += size;
    this.queuedBytes += size;
    this.lines.push(line);
    this.writing ??= this.drain();
  }

  /** Waits for what was appended, then closes the file. */
  async close(): Promise<void> {
    await this.writing;
    const handle = await this.opening.catch(() => undefined);
    await handle?.close().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    try {
      const handle = await this.opening;
      while (this.lines.length > 0) {
        const text = this.lines.join('');
        this.lines = [];
        this.queuedBytes = 0;
        await handle.appendFile(text);
      }
    } catch (error) {
      this.lines = [];
      this.queuedBytes = 0;
      this.stop(`writing it failed: ${messageOf(error)}`);
    } finally {
      this.writing = undefined;
    }
  }

  private stop(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(why);
  }
}
