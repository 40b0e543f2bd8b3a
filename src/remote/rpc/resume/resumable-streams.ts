import { randomBytes } from 'node:crypto';
import { OpenmatesError } from '../../../core/errors.js';
import { LIMITS } from '../../protocol/limits.js';
import { ResumeBuffer, type ResumeBufferLimits } from './resume-buffer.js';

/** Where a kept stream's output goes while a session holds it. */
export interface StreamSink<E, F> {
  event(seq: number, event: E): void;
  /** The stream's last word (an RPC call: its response); the stream is forgotten after it. */
  end(final: F): void;
  /** Another session of the same device took the stream over. */
  released(): void;
}

export interface ResumableStreamsOptions {
  graceMs?: number;
  buffer?: ResumeBufferLimits;
  /** The size of an event as the buffer counts it (default: its JSON's length). */
  sizeOf?: (event: unknown) => number;
}

/**
 * Streams that outlive the session that started them (a command's output, followed logs, a
 * terminal): every event is numbered and the newest are kept; when the session ends the stream
 * waits `graceMs` for the same device to resume it with its token, then it is stopped. One
 * registry per agent, shared by all its sessions.
 */
export class ResumableStreams {
  private readonly streams = new Map<string, KeptStream<unknown, unknown>>();
  readonly graceMs: number;

  constructor(private readonly options: ResumableStreamsOptions = {}) {
    this.graceMs = options.graceMs ?? LIMITS.resumeGraceMs;
  }

  get size(): number {
    return this.streams.size;
  }

  /** A new stream of `deviceId`'s; `stop` is called when nobody resumed it in time (or it was closed). */
  open<E, F>(deviceId: string, stop: (why: OpenmatesError) => void): KeptStream<E, F> {
    const token = randomBytes(16).toString('base64url');
    const stream = new KeptStream<E, F>(token, deviceId, this.graceMs, this.options.buffer ?? { maxItems: LIMITS.resumeBufferEvents, maxBytes: LIMITS.resumeBufferBytes }, this.options.sizeOf ?? jsonSize, stop, () => this.streams.delete(token));
    this.streams.set(token, stream as KeptStream<unknown, unknown>);
    return stream;
  }

  /** The stream behind `token`, for the device that started it; anyone else gets the same answer as for a token that never was. */
  claim<E, F>(token: string, deviceId: string): KeptStream<E, F> | OpenmatesError {
    const stream = this.streams.get(token);
    if (!stream || stream.deviceId !== deviceId) {
      return new OpenmatesError('disconnected', `The stream to resume is gone: it ended more than ${Math.round(this.graceMs / 1000)} s ago, the agent restarted, or it belongs to another device.`, 'start it again');
    }
    return stream as KeptStream<E, F>;
  }

  /** Stops every stream of one device (revoked) or all of them (the agent stops). */
  stopAll(why: OpenmatesError, deviceId?: string): void {
    for (const stream of [...this.streams.values()]) if (deviceId === undefined || stream.deviceId === deviceId) stream.stop(why);
  }
}

export class KeptStream<E, F> {
  private readonly buffer: ResumeBuffer<E>;
  private sink: StreamSink<E, F> | undefined;
  private ended = false;
  /** No longer in the registry: it cannot be resumed (over, stopped, or a resume failed). */
  private closed = false;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private final: { value: F } | undefined;

  constructor(
    readonly token: string,
    readonly deviceId: string,
    private readonly graceMs: number,
    limits: ResumeBufferLimits,
    private readonly sizeOf: (event: unknown) => number,
    private readonly onStop: (why: OpenmatesError) => void,
    private readonly forget: () => void,
  ) {
    this.buffer = new ResumeBuffer(limits);
  }

  get attached(): boolean {
    return this.sink !== undefined;
  }

  emit(event: E): void {
    if (this.ended) return;
    const seq = this.buffer.push(event, this.sizeOf(event));
    this.sink?.event(seq, event);
  }

  /** The stream is over: the sink (now, or the one that resumes it) gets `final` after every event. */
  end(final: F): void {
    if (this.ended) return;
    this.ended = true;
    this.final = { value: final };
    const sink = this.sink;
    if (sink) {
      this.close();
      this.sink = undefined;
      sink.end(final);
    } else if (this.closed) this.final = undefined;
  }

  /**
   * Hands the stream to `sink` from the event after `after` (the last one its reader saw): the
   * kept events first, then live ones. Fails when some of them are gone from the buffer, or
   * `after` names events never sent; the stream is stopped then, since nobody can read it whole.
   */
  attach(sink: StreamSink<E, F>, after = 0): OpenmatesError | undefined {
    if (this.closed) return new OpenmatesError('disconnected', 'The stream to resume has ended.', 'start it again');
    const since = this.buffer.since(after);
    if (!('items' in since)) {
      const error =
        'missing' in since
          ? new OpenmatesError('disconnected', `${since.missing} events of the stream were dropped while nobody read them (the agent keeps the newest ${this.buffer.size}).`, 'start it again; reconnect sooner, or ask for less output')
          : new OpenmatesError('usage', `A resume after event ${after}, but the stream has sent only ${this.buffer.lastSeq}.`, 'this is a bug in the client');
      this.stop(error);
      return error;
    }
    clearTimeout(this.graceTimer);
    const previous = this.sink;
    this.sink = sink;
    if (previous && previous !== sink) previous.released();
    for (const { seq, item } of since.items) sink.event(seq, item);
    if (this.final) {
      this.close();
      this.sink = undefined;
      sink.end(this.final.value);
    }
    return undefined;
  }

  /** The session holding `sink` ended: wait for a resume, at most the grace period. */
  detach(sink: StreamSink<E, F>): void {
    if (this.sink !== sink) return;
    this.sink = undefined;
    if (this.closed) return;
    this.graceTimer = setTimeout(() => this.stop(new OpenmatesError('disconnected', `Nobody resumed the stream within ${Math.round(this.graceMs / 1000)} s of the connection dropping.`)), this.graceMs);
    (this.graceTimer as { unref?: () => void }).unref?.();
  }

  /** Ends the stream now: the work behind it is stopped (a sink still attached hears how it ended), and it can no longer be resumed. */
  stop(why: OpenmatesError): void {
    if (this.closed) return;
    this.close();
    if (!this.sink) this.final = undefined;
    if (!this.ended) this.onStop(why);
  }

  private close(): void {
    this.closed = true;
    clearTimeout(this.graceTimer);
    this.forget();
  }
}

function jsonSize(event: unknown): number {
  return JSON.stringify(event)?.length ?? 0;
}
