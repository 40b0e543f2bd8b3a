import { StringDecoder } from 'node:string_decoder';

/** terminal.write takes at most 64 KiB of text; a paste is sent in pieces of this many characters. */
const MAX_WRITE_CHARS = 16 * 1024;

/**
 * Keys to the remote terminal in order, one write in flight at a time: keys that arrive while one
 * is on its way go together in the next (a paste, fast typing), so the wire sees few, full writes.
 */
export class KeystrokeSender {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private sending = false;
  private failed: ((error: unknown) => void) | undefined;
  private idle: (() => void)[] = [];

  constructor(private readonly write: (data: string) => Promise<void>, onError: (error: unknown) => void) {
    this.failed = onError;
  }

  push(bytes: Buffer): void {
    this.pending += this.decoder.write(bytes);
    if (!this.sending) void this.pump();
  }

  /** Resolves once every key pushed so far went out (or failed). */
  flushed(): Promise<void> {
    if (!this.sending && this.pending === '') return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async pump(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending !== '') {
        const data = takePiece(this.pending, MAX_WRITE_CHARS);
        this.pending = this.pending.slice(data.length);
        await this.write(data);
      }
    } catch (error) {
      this.pending = '';
      this.failed?.(error);
      this.failed = undefined;
    } finally {
      this.sending = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}

/** The first `max` characters of `text`, never cutting a surrogate pair in two. */
function takePiece(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
