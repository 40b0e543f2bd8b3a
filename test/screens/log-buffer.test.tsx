import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/logs/types.js';
import { DEFAULT_LOG_BYTES, DEFAULT_LOG_CAPACITY } from '../../src/screens/Logs.js';
import { ENTRY_OVERHEAD_BYTES, LogBuffer, entryBytes } from '../../src/screens/logs/log-buffer.js';

const line = (text: string): LogEntry => ({ kind: 'line', service: 'api', stream: 'stdout', text, time: '2026-05-01T12:00:00.000000000Z' });
const lines = (count: number, width: number, from = 0) => Array.from({ length: count }, (_, i) => line(`${from + i + 1}`.padEnd(width, '.')));
const texts = (buffer: LogBuffer) => buffer.window(buffer.newest, buffer.size, () => true).map(({ entry }) => entry.text.replace(/\.+$/, ''));
/** Every slot's entry, dropped ones included if they were left there. */
const slots = (buffer: LogBuffer) => (buffer as unknown as { items: (LogEntry | undefined)[] }).items.filter(Boolean).length;

describe('LogBuffer', () => {
  it('keeps at most `capacity` entries, the newest, in order, with growing sequence numbers', () => {
    const buffer = new LogBuffer(5);
    buffer.push(lines(3, 1));
    buffer.push(lines(4, 1, 3));
    expect(buffer.size).toBe(5);
    expect(texts(buffer)).toEqual(['3', '4', '5', '6', '7']);
    expect([buffer.oldest, buffer.newest, buffer.total]).toEqual([2, 6, 7]);
    expect(buffer.at(1)).toBeUndefined();
    expect(buffer.at(2)?.text).toBe('3');
    // A batch larger than the buffer: only its tail is kept.
    buffer.push(lines(12, 1, 100));
    expect(texts(buffer)).toEqual(['108', '109', '110', '111', '112']);
    expect(buffer.newest).toBe(18);
  });

  it('keeps at most `maxBytes` of entries: long lines push out old ones long before the line bound', () => {
    const long = entryBytes(line('x'.repeat(1_000)));
    const buffer = new LogBuffer(100, 20 * long);
    buffer.push(lines(100, 1_000));
    expect(buffer.size).toBe(20);
    expect(texts(buffer)).toEqual(Array.from({ length: 20 }, (_, i) => String(81 + i)));
    expect(buffer.bytes).toBe(20 * long);
    // Dropped entries are let go, not left in their slots until they are reused.
    expect(slots(buffer)).toBe(20);
    // Short lines again: now the line bound holds, and the bytes count only what is kept.
    buffer.push(lines(300, 4, 1_000));
    expect(buffer.size).toBe(100);
    expect(buffer.bytes).toBe(100 * entryBytes(line('1234')));
    expect(buffer.bytes).toBeLessThanOrEqual(buffer.maxBytes);
    expect(slots(buffer)).toBe(100);
    expect(texts(buffer).at(-1)).toBe('1300');
  });

  it('always keeps the newest entry, even one larger than the byte bound', () => {
    const buffer = new LogBuffer(10, 500);
    buffer.push(lines(3, 10));
    buffer.push([line('big'.padEnd(5_000, '.'))]);
    expect(texts(buffer)).toEqual(['big']);
    buffer.push(lines(1, 10, 7));
    expect(texts(buffer)).toEqual(['8']);
  });

  it('clear empties it and its byte count; numbering goes on', () => {
    const buffer = new LogBuffer(10, 10_000);
    buffer.push(lines(4, 10));
    buffer.clear();
    expect([buffer.size, buffer.bytes, slots(buffer)]).toEqual([0, 0, 0]);
    buffer.push(lines(1, 1));
    expect(buffer.oldest).toBe(4);
  });

  it("the Logs screen's bounds: 5,000 lines, and 4 MiB however long they are", () => {
    expect(DEFAULT_LOG_CAPACITY).toBe(5_000);
    expect(DEFAULT_LOG_BYTES).toBe(4 * 1024 * 1024);
    const buffer = new LogBuffer(DEFAULT_LOG_CAPACITY, DEFAULT_LOG_BYTES);
    // 64 KB is the longest line the reader hands over.
    buffer.push(lines(200, 64 * 1024));
    expect(buffer.bytes).toBeLessThanOrEqual(DEFAULT_LOG_BYTES);
    expect(buffer.size).toBe(Math.floor(DEFAULT_LOG_BYTES / entryBytes(line('x'.repeat(64 * 1024)))));
  });
});
