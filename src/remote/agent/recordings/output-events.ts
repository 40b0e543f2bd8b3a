import type { Redactor, StreamRedactor } from '../../../core/secrets/index.js';
import type { CastEvent } from './cast-format.js';

type Held = { time: number; chars: number } | { time: number; resize: string };

const PASS_THROUGH: StreamRedactor = { push: (text) => text, end: () => '', held: () => 0 };

/**
 * A session's output bytes and resizes → asciicast events, in order. Bytes are decoded as UTF-8
 * across chunk boundaries. With a redactor, text goes through its stream, which holds back a tail
 * that may start a secret (so one split across two PTY chunks is still caught): each piece it lets
 * go is stamped with the time its characters arrived, and a resize waits behind the text that
 * came before it, so playback keeps the session's timing and order. Where a secret was replaced
 * by a token of another length, the pieces after it may be stamped a few characters off.
 */
export class OutputEvents {
  private readonly decoder = new TextDecoder();
  private readonly stream: StreamRedactor;
  /** What came in and has not fully gone out yet, in order. */
  private readonly held: Held[] = [];
  private lastTime = 0;

  constructor(redactor: Redactor | undefined, private readonly emit: (event: CastEvent) => void) {
    this.stream = redactor?.stream() ?? PASS_THROUGH;
  }

  output(time: number, bytes: Uint8Array): void {
    this.text(time, this.decoder.decode(bytes, { stream: true }));
  }

  resize(time: number, cols: number, rows: number): void {
    this.held.push({ time, resize: `${cols}x${rows}` });
    this.release('');
  }

  /** Everything held back goes out (redacted); nothing is emitted after. */
  end(time: number): void {
    this.text(time, this.decoder.decode());
    this.release(this.stream.end());
    for (const held of this.held.splice(0)) if ('resize' in held) this.send({ time: held.time, code: 'r', data: held.resize });
  }

  private text(time: number, text: string): void {
    if (text.length === 0) return;
    this.held.push({ time, chars: text.length });
    this.release(this.stream.push(text));
  }

  private release(text: string): void {
    let rest = text;
    for (let head = this.held[0]; head; head = this.held[0]) {
      if ('resize' in head) {
        this.send({ time: head.time, code: 'r', data: head.resize });
        this.held.shift();
        continue;
      }
      if (rest.length === 0) break;
      let take = Math.min(head.chars, rest.length);
      // Never split a surrogate pair between two events: each is decoded on its own.
      if (take < rest.length && isHighSurrogate(rest.charCodeAt(take - 1))) take++;
      this.send({ time: head.time, code: 'o', data: rest.slice(0, take) });
      rest = rest.slice(take);
      head.chars -= take;
      if (head.chars <= 0) this.held.shift();
    }
    if (rest.length > 0) this.send({ time: this.lastTime, code: 'o', data: rest });
  }

  private send(event: CastEvent): void {
    const time = Math.max(event.time, this.lastTime);
    this.lastTime = time;
    this.emit({ ...event, time });
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
