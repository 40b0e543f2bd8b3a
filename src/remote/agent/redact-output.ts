/**
 * What a device without raw secrets receives of a file read and of a command's output: text
 * through the stream redactor; binary files as bytes (a download, not scanned); binary command
 * output replaced by a note, never sent as text.
 */
import type { Redactor, StreamRedactor } from '../../core/secrets/index.js';

/** Like the core's search: a NUL in the first 8 KiB, or bytes there that are not UTF-8, make a file binary. */
const SNIFF_BYTES = 8192;

export function looksBinary(head: Uint8Array): boolean {
  if (head.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

/** file read chunks → redacted text chunks (or the bytes as they are for a binary file). */
export class ReadRedaction {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private mode: 'sniffing' | 'text' | 'binary' = 'sniffing';
  private readonly decoder = new TextDecoder();
  private readonly stream: StreamRedactor;
  sent = 0;

  constructor(redactor: Redactor, private readonly send: (bytes: Uint8Array) => Promise<void>) {
    this.stream = redactor.stream();
  }

  get binary(): boolean {
    return this.mode === 'binary';
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (this.mode === 'sniffing') {
      this.head.push(chunk);
      this.headBytes += chunk.byteLength;
      if (this.headBytes < SNIFF_BYTES) return;
      await this.decide();
      return;
    }
    await this.forward(chunk);
  }

  async end(): Promise<void> {
    if (this.mode === 'sniffing') await this.decide();
    if (this.mode === 'text') await this.sendText(this.stream.push(this.decoder.decode()) + this.stream.end());
  }

  private async decide(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.mode = looksBinary(head.subarray(0, SNIFF_BYTES)) ? 'binary' : 'text';
    if (head.length > 0) await this.forward(head);
  }

  private async forward(chunk: Uint8Array): Promise<void> {
    if (this.mode === 'binary') {
      this.sent += chunk.byteLength;
      await this.send(chunk);
      return;
    }
    await this.sendText(this.stream.push(this.decoder.decode(chunk, { stream: true })));
  }

  private async sendText(text: string): Promise<void> {
    if (text.length === 0) return;
    const bytes = Buffer.from(text, 'utf8');
    this.sent += bytes.length;
    await this.send(bytes);
  }
}

/** A decoded output text that came from bytes that were not text: a NUL, or bytes the decoder had to replace. */
export function isBinaryText(text: string): boolean {
  return text.includes('\u0000') || text.includes('\uFFFD');
}

export function binaryNote(bytes: number): string {
  return `<binary output: ${bytes} bytes, not shown>`;
}

/** One output stream of a command (stdout or stderr) as redacted text events; binary output becomes a note. */
export class CommandOutputRedaction {
  private readonly stream: StreamRedactor;
  binary = false;
  bytes = 0;

  constructor(redactor: Redactor, private readonly emit: (text: string) => void) {
    this.stream = redactor.stream();
  }

  push(text: string): void {
    this.bytes += Buffer.byteLength(text);
    if (this.binary) return;
    if (isBinaryText(text)) {
      this.binary = true;
      const tail = this.stream.end();
      if (tail) this.emit(tail);
      return;
    }
    const out = this.stream.push(text);
    if (out) this.emit(out);
  }

  end(): void {
    if (this.binary) {
      this.emit(`${binaryNote(this.bytes)}\n`);
      return;
    }
    const tail = this.stream.end();
    if (tail) this.emit(tail);
  }
}
