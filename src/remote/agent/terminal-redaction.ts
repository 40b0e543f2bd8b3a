import type { Redactor, StreamRedactor } from '../../core/secrets/index.js';
import type { TerminalOutput } from '../../core/terminals/index.js';

/** Output held back (a tail that may start a secret) goes out after this long without more: short, since a typed key's echo waits for it; a program's output (a file, a secret in it) comes in one burst. */
const QUIET_FLUSH_MS = 8;

/**
 * A terminal's output for a device that must not see secrets. The bytes are read as latin1 (one
 * character per byte, so the redactor's held-back tail is a byte count and multibyte text passes
 * through unchanged) and redacted as a stream, so a secret split across two reads is still
 * caught. What the redactor holds back goes out after QUIET_FLUSH_MS of quiet: a prompt or an
 * echoed key must not wait for 256 more bytes. Each piece says up to which output byte it covers.
 */
export class TerminalRedaction {
  private readonly stream: StreamRedactor;
  private end: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    redactor: Redactor,
    start: number,
    private readonly send: (bytes: Uint8Array, end: number) => void,
  ) {
    this.stream = redactor.stream();
    this.end = start;
  }

  push(output: TerminalOutput): void {
    this.end = output.seq + output.bytes.byteLength;
    const text = this.stream.push(output.bytes.toString('latin1'));
    if (text) this.send(encodeRedacted(text), this.end - this.stream.held());
    clearTimeout(this.timer);
    if (this.stream.held() > 0) this.timer = setTimeout(() => this.flush(), QUIET_FLUSH_MS);
  }

  /** Everything held back, redacted as far as it can be. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.stream.end();
    if (text) this.send(encodeRedacted(text), this.end);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** A whole piece of terminal output (the scrollback) redacted at once. */
export function redactTerminalText(redactor: Redactor, bytes: Buffer): Buffer {
  return encodeRedacted(redactor.redact(bytes.toString('latin1')));
}

/** Back to bytes: the latin1 characters as the bytes they came from, a token's own characters (…) as UTF-8. */
function encodeRedacted(text: string): Buffer {
  return Buffer.from(text.replace(/[^\x00-\xff]/gu, (char) => Buffer.from(char, 'utf8').toString('latin1')), 'latin1');
}
