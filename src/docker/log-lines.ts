/**
 * Turns log output (demultiplexed frames, or raw TTY bytes) into lines without their newline.
 * stdout and stderr are assembled separately, so a half line on one stream is not glued to a
 * line of the other; multi-byte characters split across chunks are decoded correctly.
 */
import { StringDecoder } from 'node:string_decoder';
import { FrameDemuxer, type LogFrame, type StreamName } from './demux.js';

class StreamLines {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  push(bytes: Buffer): string[] {
    const text = this.partial + this.decoder.write(bytes);
    const pieces = text.split('\n');
    this.partial = pieces.pop() ?? '';
    return pieces.map(withoutCarriageReturn);
  }

  end(): string[] {
    const last = this.partial + this.decoder.end();
    this.partial = '';
    return last === '' ? [] : [withoutCarriageReturn(last)];
  }
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export class LogLineAssembler {
  private readonly streams = new Map<StreamName, StreamLines>();

  private linesOf(stream: StreamName): StreamLines {
    let lines = this.streams.get(stream);
    if (!lines) {
      lines = new StreamLines();
      this.streams.set(stream, lines);
    }
    return lines;
  }

  push(frame: LogFrame): string[] {
    return this.linesOf(frame.stream).push(frame.payload);
  }

  /** Whatever unterminated lines remain, stdout first. */
  end(): string[] {
    return (['stdout', 'stderr', 'stdin'] as const).flatMap((stream) => this.streams.get(stream)?.end() ?? []);
  }
}

/** The lines of a complete log buffer; `multiplexed` is true when the container has no TTY. */
export function logLinesOf(buffer: Buffer, multiplexed: boolean): string[] {
  const assembler = new LogLineAssembler();
  if (!multiplexed) return [...assembler.push({ stream: 'stdout', payload: buffer }), ...assembler.end()];
  const demuxer = new FrameDemuxer();
  const lines: string[] = [];
  for (const frame of demuxer.push(buffer)) lines.push(...assembler.push(frame));
  for (const frame of demuxer.end()) lines.push(...assembler.push(frame));
  lines.push(...assembler.end());
  return lines;
}

/** Reads a finished log stream into at most `limit` lines (the last ones). */
export async function readLogLines(stream: NodeJS.ReadableStream, multiplexed: boolean, limit: number): Promise<string[]> {
  const demuxer = multiplexed ? new FrameDemuxer() : undefined;
  const assembler = new LogLineAssembler();
  const lines: string[] = [];
  const keep = (more: string[]): void => {
    lines.push(...more);
    if (lines.length > limit * 2 + 64) lines.splice(0, lines.length - limit);
  };
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!demuxer) keep(assembler.push({ stream: 'stdout', payload: bytes }));
    else for (const frame of demuxer.push(bytes)) keep(assembler.push(frame));
  }
  if (demuxer) for (const frame of demuxer.end()) keep(assembler.push(frame));
  keep(assembler.end());
  return limit === 0 ? [] : lines.slice(-limit);
}
