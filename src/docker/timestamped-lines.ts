/**
 * Turns a log stream requested with `timestamps: true` into lines with their engine timestamp.
 *
 * Without a TTY the stream is multiplexed and every frame is one log message, "<time> <text>";
 * a message the engine split (over 16 KB) arrives as frames without a trailing newline, each with
 * its own timestamp, and is joined back into one line here. With a TTY the stream is raw bytes:
 * lines are cut at newlines and each one starts with its timestamp.
 *
 * A line without a newline is kept until its end arrives, up to MAX_LINE_LENGTH characters, then
 * handed over as it is: memory stays bounded whatever a container writes.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ContainerLogLine } from './types.js';

export const MAX_LINE_LENGTH = 64 * 1024;

type OutputStream = ContainerLogLine['stream'];

interface PartialLine {
  text: string;
  time: string;
}

/** Where the timestamp ends (the space after it), or -1 when `text` does not start with one at `from`. */
function timestampEnd(text: string, from: number): number {
  // 2024-05-01T12:00:00Z is the shortest form; RFC3339Nano with an offset is at most 35 characters.
  if (text.charCodeAt(from + 4) !== 45 /* - */ || text.charCodeAt(from + 10) !== 84 /* T */) return -1;
  const space = text.indexOf(' ', from + 19);
  return space !== -1 && space - from <= 36 ? space : -1;
}

function withoutCarriageReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

const HEADER_LENGTH = 8;

function frameHeaderAt(buffer: Buffer, offset: number): boolean {
  return buffer[offset]! <= 2 && buffer[offset + 1] === 0 && buffer[offset + 2] === 0 && buffer[offset + 3] === 0;
}

export class TimestampedLineReader {
  private multiplexed: boolean;
  /** Raw (TTY) output is decoded across chunks; created when needed. */
  private decoder: StringDecoder | undefined;
  /** The start of a frame whose end has not arrived yet. */
  private pendingFrame: Buffer | undefined;
  private readonly partial = new Map<OutputStream, PartialLine>();

  /** `multiplexed`: the container has no TTY. */
  constructor(multiplexed: boolean) {
    this.multiplexed = multiplexed;
  }

  push(chunk: Buffer): ContainerLogLine[] {
    const lines: ContainerLogLine[] = [];
    if (this.multiplexed) this.frames(chunk, lines);
    else this.raw(this.rawDecoder().write(chunk), lines);
    return lines;
  }

  /** The stream ended: whatever was left without a newline. */
  end(): ContainerLogLine[] {
    const lines: ContainerLogLine[] = [];
    const rest = this.pendingFrame;
    this.pendingFrame = undefined;
    // A frame cut off by the end of the stream: its text so far (a lone header carries none).
    if (rest && rest.length > HEADER_LENGTH && frameHeaderAt(rest, 0)) this.message(rest[0] === 2 ? 'stderr' : 'stdout', rest.toString('utf8', HEADER_LENGTH), lines);
    if (this.decoder) this.raw(this.decoder.end(), lines);
    for (const [stream, partial] of this.partial) {
      if (partial.text === '') continue;
      // Raw (TTY) output keeps a partial line with its timestamp still in front.
      const end = stream === 'stdout' && this.decoder ? timestampEnd(partial.text, 0) : -1;
      const time = end === -1 ? partial.time : partial.text.slice(0, end);
      lines.push({ stream, time, text: withoutCarriageReturn(end === -1 ? partial.text : partial.text.slice(end + 1)) });
    }
    this.partial.clear();
    return lines;
  }

  private rawDecoder(): StringDecoder {
    this.decoder ??= new StringDecoder('utf8');
    return this.decoder;
  }

  /**
   * Multiplexed frames (8-byte header: stream, 0, 0, 0, length), decoded straight from the chunk.
   * A header that is not valid means the stream is not multiplexed after all: the rest is raw.
   */
  private frames(chunk: Buffer, out: ContainerLogLine[]): void {
    const buffer = this.pendingFrame ? Buffer.concat([this.pendingFrame, chunk]) : chunk;
    this.pendingFrame = undefined;
    let offset = 0;
    while (buffer.length - offset >= HEADER_LENGTH) {
      if (!frameHeaderAt(buffer, offset)) {
        this.multiplexed = false;
        this.raw(this.rawDecoder().write(buffer.subarray(offset)), out);
        return;
      }
      const end = offset + HEADER_LENGTH + buffer.readUInt32BE(offset + 4);
      if (end > buffer.length) break;
      if (end > offset + HEADER_LENGTH) this.message(buffer[offset] === 2 ? 'stderr' : 'stdout', buffer.toString('utf8', offset + HEADER_LENGTH, end), out);
      offset = end;
    }
    // A copy, so the (large) chunk is not kept alive for a few bytes.
    if (offset < buffer.length) this.pendingFrame = Buffer.from(buffer.subarray(offset));
  }

  /** One frame of a multiplexed stream: "<time> <text>", usually exactly one line. */
  private message(stream: OutputStream, text: string, out: ContainerLogLine[]): void {
    const carried = this.partial.get(stream);
    let start = 0;
    let time = carried?.time ?? '';
    const end = timestampEnd(text, 0);
    if (end !== -1) {
      if (!carried) time = text.slice(0, end);
      start = end + 1;
    }
    let prefix = carried?.text ?? '';
    if (carried) this.partial.delete(stream);
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      const body = text.slice(start, newline);
      out.push({ stream, time, text: withoutCarriageReturn(prefix === '' ? body : prefix + body) });
      prefix = '';
      start = newline + 1;
      // Several lines in one frame (older engines): each may carry its own timestamp.
      const next = timestampEnd(text, start);
      if (next !== -1) {
        time = text.slice(start, next);
        start = next + 1;
      }
      newline = text.indexOf('\n', start);
    }
    if (start < text.length || prefix !== '') this.keep(stream, prefix + text.slice(start), time, out);
  }

  /** Raw (TTY) output: cut at newlines; each line starts with its timestamp. */
  private raw(text: string, out: ContainerLogLine[]): void {
    if (text === '') return;
    const carried = this.partial.get('stdout');
    if (carried) this.partial.delete('stdout');
    const all = carried ? carried.text + text : text;
    let start = 0;
    let newline = all.indexOf('\n');
    while (newline !== -1) {
      const end = timestampEnd(all, start);
      const time = end !== -1 && end < newline ? all.slice(start, end) : (carried?.time ?? '');
      out.push({ stream: 'stdout', time, text: withoutCarriageReturn(all.slice(end !== -1 && end < newline ? end + 1 : start, newline)) });
      start = newline + 1;
      newline = all.indexOf('\n', start);
    }
    if (start === all.length) return;
    const rest = all.slice(start);
    if (rest.length < MAX_LINE_LENGTH) return void this.partial.set('stdout', { text: rest, time: '' });
    const end = timestampEnd(rest, 0);
    out.push({ stream: 'stdout', time: end === -1 ? '' : rest.slice(0, end), text: end === -1 ? rest : rest.slice(end + 1) });
  }

  private keep(stream: OutputStream, text: string, time: string, out: ContainerLogLine[]): void {
    if (text.length >= MAX_LINE_LENGTH) out.push({ stream, time, text });
    else this.partial.set(stream, { text, time });
  }
}
