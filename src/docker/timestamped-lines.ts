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
import { FrameDemuxer, type StreamName } from './demux.js';
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

export class TimestampedLineReader {
  private readonly demuxer: FrameDemuxer | undefined;
  private readonly decoder: StringDecoder | undefined;
  private readonly partial = new Map<OutputStream, PartialLine>();

  /** `multiplexed`: the container has no TTY. */
  constructor(multiplexed: boolean) {
    this.demuxer = multiplexed ? new FrameDemuxer() : undefined;
    this.decoder = multiplexed ? undefined : new StringDecoder('utf8');
  }

  push(chunk: Buffer): ContainerLogLine[] {
    const lines: ContainerLogLine[] = [];
    if (this.demuxer) {
      for (const frame of this.demuxer.push(chunk)) this.message(outputOf(frame.stream), frame.payload.toString('utf8'), lines);
    } else {
      this.raw(this.decoder!.write(chunk), lines);
    }
    return lines;
  }

  /** The stream ended: whatever was left without a newline. */
  end(): ContainerLogLine[] {
    const lines: ContainerLogLine[] = [];
    if (this.demuxer) for (const frame of this.demuxer.end()) this.message(outputOf(frame.stream), frame.payload.toString('utf8'), lines);
    else this.raw(this.decoder!.end(), lines);
    for (const [stream, rest] of this.partial) {
      if (rest.text === '') continue;
      // Raw (TTY) output keeps a partial line with its timestamp still in front.
      const end = this.demuxer ? -1 : timestampEnd(rest.text, 0);
      const time = end === -1 ? rest.time : rest.text.slice(0, end);
      lines.push({ stream, time, text: withoutCarriageReturn(end === -1 ? rest.text : rest.text.slice(end + 1)) });
    }
    this.partial.clear();
    return lines;
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

function outputOf(stream: StreamName): OutputStream {
  return stream === 'stderr' ? 'stderr' : 'stdout';
}
