import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../src/docker/demux.js';
import { MAX_LINE_LENGTH, TimestampedLineReader } from '../../../src/docker/timestamped-lines.js';
import { sinceOfTime, sinceParameter } from '../../../src/docker/container-log.js';

const T1 = '2026-05-01T12:00:00.000000001Z';
const T2 = '2026-05-01T12:00:00.000000002Z';

describe('TimestampedLineReader', () => {
  it('reads multiplexed frames into lines with their stream and timestamp, whatever the chunking', () => {
    const bytes = Buffer.concat([encodeFrame('stdout', `${T1} hello wörld\n`), encodeFrame('stderr', `${T2} oops\r\n`)]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const reader = new TimestampedLineReader(true);
      const lines = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut)), ...reader.end()];
      expect(lines).toEqual([
        { stream: 'stdout', time: T1, text: 'hello wörld' },
        { stream: 'stderr', time: T2, text: 'oops' },
      ]);
    }
  });

  it('joins a message the engine split into several frames, dropping the inner timestamps', () => {
    const reader = new TimestampedLineReader(true);
    const lines = reader.push(Buffer.concat([encodeFrame('stdout', `${T1} first half, `), encodeFrame('stdout', `${T2} second half\n`)]));
    expect(lines).toEqual([{ stream: 'stdout', time: T1, text: 'first half, second half' }]);
  });

  it('keeps stdout and stderr halves apart, and hands over an unterminated last line at the end', () => {
    const reader = new TimestampedLineReader(true);
    expect(reader.push(Buffer.concat([encodeFrame('stdout', `${T1} out `), encodeFrame('stderr', `${T2} err\n`)]))).toEqual([{ stream: 'stderr', time: T2, text: 'err' }]);
    expect(reader.end()).toEqual([{ stream: 'stdout', time: T1, text: 'out ' }]);
  });

  it('reads a TTY stream (raw bytes), cutting lines at newlines across chunks', () => {
    const reader = new TimestampedLineReader(false);
    const text = Buffer.from(`${T1} one\r\n${T2} two\n${T2} three`);
    const lines = [...reader.push(text.subarray(0, 20)), ...reader.push(text.subarray(20, 45)), ...reader.push(text.subarray(45)), ...reader.end()];
    expect(lines).toEqual([
      { stream: 'stdout', time: T1, text: 'one' },
      { stream: 'stdout', time: T2, text: 'two' },
      { stream: 'stdout', time: T2, text: 'three' },
    ]);
  });

  it('keeps the text of a frame the stream cut off, and reads a stream that turns out not to be multiplexed as raw', () => {
    const reader = new TimestampedLineReader(true);
    const cut = encodeFrame('stdout', `${T1} last words\n`);
    expect([...reader.push(cut.subarray(0, cut.length - 3)), ...reader.end()]).toEqual([{ stream: 'stdout', time: T1, text: 'last wor' }]);
    const raw = new TimestampedLineReader(true);
    expect([...raw.push(Buffer.from(`${T1} plain text\n${T2} more\n`)), ...raw.end()]).toEqual([
      { stream: 'stdout', time: T1, text: 'plain text' },
      { stream: 'stdout', time: T2, text: 'more' },
    ]);
  });

  it('does not grow without bound on a line that never ends', () => {
    const reader = new TimestampedLineReader(true);
    const chunk = 'x'.repeat(16 * 1024);
    const out = [];
    for (let i = 0; i < 10; i++) out.push(...reader.push(encodeFrame('stdout', `${T1} ${chunk}`)));
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((line) => line.text.length <= MAX_LINE_LENGTH + chunk.length)).toBe(true);
  });
});

describe('sinceParameter', () => {
  it('writes Unix seconds with nanoseconds as the engine expects, never rounding up', () => {
    expect(sinceParameter(1714564800)).toBe('1714564800.000000000');
    expect(sinceParameter(1714564800.1234567)).toBe('1714564800.123456000');
  });

  it('turns an engine time (a container\'s StartedAt) into the exact since value', () => {
    expect(sinceOfTime('2024-05-01T12:00:00.123456789Z')).toBe('1714564800.123456789');
    expect(sinceOfTime('2024-05-01T12:00:00Z')).toBe('1714564800.000000000');
    expect(sinceOfTime('2024-05-01T14:00:00+02:00')).toBe('1714564800.000000000');
  });
});
