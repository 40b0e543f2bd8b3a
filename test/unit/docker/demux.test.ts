import { describe, expect, it } from 'vitest';
import { FrameDemuxer, demuxBuffer, encodeFrame, type LogFrame } from '../../../src/docker/demux.js';
import { LogLineAssembler, logLinesOf } from '../../../src/docker/log-lines.js';

const text = (frames: LogFrame[]): { stream: string; text: string }[] =>
  frames.map((frame) => ({ stream: frame.stream, text: frame.payload.toString('utf8') }));

/** Feeds `buffer` in pieces cut at `cuts` (offsets) and collects every frame. */
function feedInPieces(buffer: Buffer, cuts: number[]): LogFrame[] {
  const demuxer = new FrameDemuxer();
  const frames: LogFrame[] = [];
  let start = 0;
  for (const cut of [...cuts, buffer.length]) {
    frames.push(...demuxer.push(buffer.subarray(start, cut)));
    start = cut;
  }
  return [...frames, ...demuxer.end()];
}

/** Payloads of the same stream joined, frame boundaries aside. */
function joinedByStream(frames: LogFrame[]): Record<string, string> {
  const joined: Record<string, string> = {};
  for (const frame of frames) joined[frame.stream] = (joined[frame.stream] ?? '') + frame.payload.toString('utf8');
  return joined;
}

describe('FrameDemuxer', () => {
  const log = Buffer.concat([
    encodeFrame('stdout', 'listening on :8080\n'),
    encodeFrame('stderr', 'warning: no config, using defaults\n'),
    encodeFrame('stdout', 'ready\n'),
  ]);

  it('splits a whole buffer into its frames', () => {
    expect(text(demuxBuffer(log))).toEqual([
      { stream: 'stdout', text: 'listening on :8080\n' },
      { stream: 'stderr', text: 'warning: no config, using defaults\n' },
      { stream: 'stdout', text: 'ready\n' },
    ]);
  });

  it('gives the same bytes per stream wherever the chunks are cut', () => {
    const expected = joinedByStream(demuxBuffer(log));
    for (let a = 0; a <= log.length; a += 1) {
      for (const b of [a + 1, a + 3, a + 8, a + 9]) {
        if (b >= log.length) continue;
        expect(joinedByStream(feedInPieces(log, [a, b]))).toEqual(expected);
      }
    }
  });

  it('copes with one byte at a time', () => {
    const cuts = Array.from({ length: log.length - 1 }, (_, i) => i + 1);
    expect(joinedByStream(feedInPieces(log, cuts))).toEqual(joinedByStream(demuxBuffer(log)));
  });

  it('reads big-endian lengths beyond 255 bytes', () => {
    const long = 'x'.repeat(70_000);
    expect(text(demuxBuffer(encodeFrame('stderr', long)))).toEqual([{ stream: 'stderr', text: long }]);
  });

  it('keeps the bytes of a frame cut off by the end of the stream', () => {
    const cut = Buffer.concat([encodeFrame('stdout', 'one\n'), encodeFrame('stdout', 'two\n').subarray(0, 10)]);
    expect(text(demuxBuffer(cut))).toEqual([
      { stream: 'stdout', text: 'one\n' },
      { stream: 'stdout', text: 'tw' },
    ]);
  });

  it('passes bytes through as stdout when they are not multiplexed after all (TTY)', () => {
    const raw = Buffer.from('plain tty output\r\nsecond line\r\n');
    expect(joinedByStream(demuxBuffer(raw))).toEqual({ stdout: raw.toString() });
  });

  it('skips empty frames', () => {
    expect(demuxBuffer(Buffer.concat([encodeFrame('stdout', ''), encodeFrame('stdout', 'a')]))).toHaveLength(1);
  });
});

describe('log lines', () => {
  it('returns lines without newlines, stdout and stderr in frame order', () => {
    const log = Buffer.concat([encodeFrame('stdout', 'a\n'), encodeFrame('stderr', 'b\r\n'), encodeFrame('stdout', 'c\n')]);
    expect(logLinesOf(log, true)).toEqual(['a', 'b', 'c']);
  });

  it('does not glue a half line on stdout to a line on stderr', () => {
    const log = Buffer.concat([encodeFrame('stdout', 'hal'), encodeFrame('stderr', 'err\n'), encodeFrame('stdout', 'f line\n')]);
    expect(logLinesOf(log, true)).toEqual(['err', 'half line']);
  });

  it('keeps a last line that has no newline', () => {
    expect(logLinesOf(Buffer.from('one\ntwo'), false)).toEqual(['one', 'two']);
  });

  it('decodes a multi-byte character split across frames', () => {
    const euro = Buffer.from('price: 5€\n');
    const assembler = new LogLineAssembler();
    const lines = [
      ...assembler.push({ stream: 'stdout', payload: euro.subarray(0, 9) }),
      ...assembler.push({ stream: 'stdout', payload: euro.subarray(9) }),
      ...assembler.end(),
    ];
    expect(lines).toEqual(['price: 5€']);
  });

  it('reads TTY output as it is', () => {
    expect(logLinesOf(Buffer.from('x\r\ny\r\n'), false)).toEqual(['x', 'y']);
  });
});
