import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { ResumableStreams, type StreamSink } from '../../../../src/remote/rpc/resume/resumable-streams.js';

afterEach(() => vi.useRealTimers());

/** A sink that records what it got, as a session would send it. */
function recorder() {
  const got: { events: [number, string][]; end?: string; released: boolean } = { events: [], released: false };
  const sink: StreamSink<string, string> = {
    event: (seq, event) => void got.events.push([seq, event]),
    end: (final) => void (got.end = final),
    released: () => void (got.released = true),
  };
  return { got, sink };
}

describe('ResumableStreams: a stream outlives its session for a grace period, resumable by the same device', () => {
  it('a resume after a drop gets exactly the events after the last one read, then the live ones and the end', () => {
    const streams = new ResumableStreams({ graceMs: 60_000 });
    const stopped = vi.fn();
    const stream = streams.open<string, string>('device-a', stopped);
    const first = recorder();
    stream.attach(first.sink);
    stream.emit('one');
    stream.emit('two');
    stream.emit('three');
    stream.detach(first.sink); // the link dropped; the reader had seen up to 'two' (seq 2), 'three' was in flight
    stream.emit('four');
    const claimed = streams.claim<string, string>(stream.token, 'device-a');
    expect(claimed).toBe(stream);
    const second = recorder();
    expect(stream.attach(second.sink, 2)).toBeUndefined();
    stream.emit('five');
    stream.end('done');
    expect(second.got.events).toEqual([
      [3, 'three'],
      [4, 'four'],
      [5, 'five'],
    ]);
    expect(second.got.end).toBe('done');
    expect(first.got.events.map(([seq]) => seq)).toEqual([1, 2, 3]);
    expect(stopped).not.toHaveBeenCalled();
    expect(streams.size).toBe(0); // delivered: forgotten
  });

  it('a stream that ended while nobody held it delivers its end on the resume', () => {
    const streams = new ResumableStreams();
    const stream = streams.open<string, string>('device-a', vi.fn());
    const first = recorder();
    stream.attach(first.sink);
    stream.emit('only');
    stream.detach(first.sink);
    stream.end('exit 0');
    const second = recorder();
    stream.attach(second.sink, 0);
    expect(second.got).toMatchObject({ events: [[1, 'only']], end: 'exit 0' });
  });

  it('nobody resuming within the grace period stops the work behind it, and the token is gone', () => {
    vi.useFakeTimers();
    const streams = new ResumableStreams({ graceMs: 30_000 });
    const stopped = vi.fn();
    const stream = streams.open<string, string>('device-a', stopped);
    const sink = recorder().sink;
    stream.attach(sink);
    stream.detach(sink);
    vi.advanceTimersByTime(29_000);
    expect(stopped).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(stopped).toHaveBeenCalledOnce();
    expect((stopped.mock.calls[0]![0] as OpenmatesError).message).toMatch(/Nobody resumed the stream within 30 s/);
    const late = streams.claim(stream.token, 'device-a');
    expect(late).toBeInstanceOf(OpenmatesError);
    expect(late).toMatchObject({ kind: 'disconnected', message: expect.stringContaining('The stream to resume is gone') });
  });

  it('another device holding the token gets the same answer as for a token that never was', () => {
    const streams = new ResumableStreams();
    const stream = streams.open<string, string>('device-a', vi.fn());
    const stolen = streams.claim(stream.token, 'device-b');
    const unknown = streams.claim('AAAAAAAAAAAAAAAAAAAAAA', 'device-a');
    expect(stolen).toBeInstanceOf(OpenmatesError);
    expect((stolen as OpenmatesError).message).toBe((unknown as OpenmatesError).message);
    expect(streams.claim(stream.token, 'device-a')).toBe(stream);
  });

  it('a resume from events the buffer no longer holds fails clearly and stops the stream (nothing skipped silently)', () => {
    const streams = new ResumableStreams({ buffer: { maxItems: 10, maxBytes: 1_000_000 } });
    const stopped = vi.fn();
    const stream = streams.open<string, string>('device-a', stopped);
    const first = recorder();
    stream.attach(first.sink);
    stream.detach(first.sink);
    for (let i = 1; i <= 25; i++) stream.emit(`line ${i}`);
    const error = stream.attach(recorder().sink, 3);
    expect(error).toMatchObject({ kind: 'disconnected', message: expect.stringContaining('12 events of the stream were dropped') });
    expect(stopped).toHaveBeenCalledOnce();
    expect(streams.claim(stream.token, 'device-a')).toBeInstanceOf(OpenmatesError);
  });

  it('a resume while an old session still holds it moves it: the old holder is released and gets nothing more', () => {
    const streams = new ResumableStreams();
    const stream = streams.open<string, string>('device-a', vi.fn());
    const old = recorder();
    stream.attach(old.sink);
    stream.emit('a');
    const fresh = recorder();
    stream.attach(fresh.sink, 1);
    stream.emit('b');
    stream.detach(old.sink); // the old session closing late must not detach the new holder
    stream.emit('c');
    expect(old.got).toMatchObject({ events: [[1, 'a']], released: true });
    expect(fresh.got.events).toEqual([
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('stopAll for a revoked device stops its streams only; a holder still attached hears the end', () => {
    const streams = new ResumableStreams();
    const stopA = vi.fn();
    const stopB = vi.fn();
    const a = streams.open<string, string>('device-a', stopA);
    streams.open<string, string>('device-b', stopB);
    const holder = recorder();
    a.attach(holder.sink);
    streams.stopAll(new OpenmatesError('device-refused', 'revoked'), 'device-a');
    expect(stopA).toHaveBeenCalledOnce();
    expect(stopB).not.toHaveBeenCalled();
    a.end('interrupted');
    expect(holder.got.end).toBe('interrupted');
    expect(streams.size).toBe(1);
  });
});
