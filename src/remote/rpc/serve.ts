import { OpenmatesError, isOpenmatesError, messageOf } from '../../core/errors.js';
import type { ChannelDevice, ChannelMessage, ChannelSession } from '../channel/session.js';
import { LIMITS } from '../protocol/limits.js';
import { OPS, OP_NAMES, RESUMABLE_OPS, isOpName, type OpArgs, type OpName, type OpResult } from '../protocol/ops.js';
import { clientMessageSchema, decodeChunk, encodeChunk, type RequestMessage, type ResumeMessage } from '../protocol/rpc-messages.js';
import type { WireError } from '../protocol/error-codes.js';
import { ChunkQueue } from './chunk-queue.js';
import { AckCounter, CreditGate } from './credit.js';
import { pingSession, startHeartbeat, type HeartbeatOptions } from './heartbeat.js';
import type { KeptStream, ResumableStreams, StreamSink } from './resume/resumable-streams.js';
import { zodSummary } from './zod-summary.js';

export interface OpContext {
  device: ChannelDevice;
  /** Aborts when the client cancels the call or the session ends. */
  signal: AbortSignal;
  /** Streams an event (command output, a log line, an operation event) to the caller. */
  emit(event: unknown): void;
  /** Sends bytes as chunks; resolves when the credit window lets them go (never buffers without bound). */
  sendChunk(bytes: Uint8Array): Promise<void>;
  /** The caller's upload, chunk by chunk, ending when the caller says it has sent all. */
  receiveChunks(): AsyncIterable<Uint8Array>;
}

export type OpHandler<O extends OpName> = (args: OpArgs<O>, context: OpContext) => Promise<OpResult<O>>;
export type OpHandlers = { [O in OpName]?: OpHandler<O> };

export interface ServeRpcOptions extends HeartbeatOptions {
  /** Host facts for requests that ask `withHost` (the agent keeps them cached, ≤ 2 s old). */
  hostFacts?: () => Promise<unknown>;
  /** A request refused before any handler ran (unknown operation, one not offered, bad arguments): the agent audits these too. */
  onRejected?: (rejection: RejectedRequest) => void;
  /** The agent's kept streams: calls of RESUMABLE_OPS outlive this session and can be resumed by the same device. */
  streams?: ResumableStreams;
}

export interface RejectedRequest {
  op: string;
  reason: string;
}

export interface RpcServer {
  /** Calls in progress. */
  readonly inFlight: number;
  /** Resolves when the session has ended and every handler has settled. */
  readonly done: Promise<void>;
}

interface RunningCall {
  abort: AbortController;
  credit: CreditGate;
  upload: ChunkQueue;
  /** A resumable call: a dropped connection detaches it (for a resume) instead of aborting it. */
  kept?: { stream: KeptStream<unknown, CallEnd>; sink: StreamSink<unknown, CallEnd> };
}

/** A call's response without its id (a resumed stream answers under the id of the session that holds it). */
type CallEnd = { result?: unknown; error?: WireError; host?: unknown };

/** Serves requests on one session until it closes. Bad input gets a 'usage' error; the session stays up. */
export function serveRpc(session: ChannelSession, handlers: OpHandlers, options: ServeRpcOptions = {}): RpcServer {
  const calls = new Map<number, RunningCall>();
  const settled = new Set<Promise<void>>();
  const send = (message: object) => {
    if (!session.closed) session.send(message);
  };
  const usage = (message: string, id?: number) => {
    const error: WireError = { code: 'usage', message, hint: 'this is a bug in the client, or it speaks another protocol version' };
    send(id === undefined ? { type: 'error', error } : { type: 'response', id, error });
  };
  const heartbeat = startHeartbeat(pingSession(session), options, LIMITS.agentHeartbeatTimeoutMs, (silentMs) => session.close(`no message from the client for ${Math.round(silentMs / 1000)} s`));

  const receive = (message: ChannelMessage) => {
    heartbeat.heard();
    if (message.kind === 'invalid-json') return usage('a message is not valid JSON');
    if (message.kind === 'binary') return receiveChunk(message.bytes);
    const parsed = clientMessageSchema.safeParse(message.value);
    if (!parsed.success) {
      const value = message.value as { type?: unknown; id?: unknown } | null;
      const id = value?.type === 'request' && typeof value.id === 'number' && Number.isInteger(value.id) && value.id > 0 ? value.id : undefined;
      return usage(`malformed message: ${zodSummary(parsed.error)}`, id);
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'request':
        return start(msg);
      case 'resume':
        return resume(msg);
      case 'ack':
        return calls.get(msg.id)?.credit.grant(msg.bytes);
      case 'end':
        return calls.get(msg.id)?.upload.end();
      case 'cancel':
        return calls.get(msg.id)?.abort.abort(new OpenmatesError('interrupted', 'The caller cancelled the request.'));
      case 'ping':
        return send({ type: 'pong' });
      case 'pong':
        return;
    }
  };

  const receiveChunk = (frame: Uint8Array) => {
    const chunk = decodeChunk(frame);
    const call = chunk && calls.get(chunk.id);
    if (!chunk || !call) return usage(chunk ? `a chunk for call ${chunk.id}, which is not running` : 'a binary message too short to be a chunk');
    if (call.upload.buffered + chunk.bytes.byteLength > LIMITS.creditWindowBytes + LIMITS.chunkBytes) {
      call.abort.abort(new OpenmatesError('usage', 'The caller sent more than its credit window allows.'));
      return;
    }
    call.upload.push(chunk.bytes);
  };

  const start = (request: RequestMessage) => {
    const { id, op } = request;
    if (calls.has(id)) return usage(`call ${id} is already running`, id);
    const reject = (reason: string) => options.onRejected?.({ op: op.slice(0, 64), reason });
    if (!isOpName(op)) {
      reject('unknown operation');
      return usage(`unknown operation "${op.slice(0, 64)}"; known: ${OP_NAMES.join(', ')}`, id);
    }
    const handler = handlers[op] as OpHandler<OpName> | undefined;
    if (!handler) {
      reject('not offered');
      return send({ type: 'response', id, error: { code: 'refused', message: `The agent does not offer "${op}".` } });
    }
    const args = OPS[op].args.safeParse(request.args ?? {});
    if (!args.success) {
      reject('invalid arguments');
      return usage(`invalid arguments for ${op}: ${zodSummary(args.error)}`, id);
    }

    const acks = new AckCounter();
    const call: RunningCall = {
      abort: new AbortController(),
      credit: new CreditGate(),
      upload: new ChunkQueue((bytes) => {
        const ack = acks.consumed(bytes);
        if (ack !== undefined) send({ type: 'ack', id, bytes: ack });
      }),
    };
    calls.set(id, call);
    const stream = options.streams && RESUMABLE_OPS.has(op) ? options.streams.open<unknown, CallEnd>(session.deviceId, (why) => call.abort.abort(why)) : undefined;
    if (stream) {
      call.kept = { stream, sink: sinkFor(id) };
      stream.attach(call.kept.sink);
      send({ type: 'resumable', id, token: stream.token, graceMs: options.streams!.graceMs });
    }
    call.abort.signal.addEventListener('abort', () => {
      const reason = call.abort.signal.reason as Error;
      call.credit.fail(reason);
      call.upload.fail(reason);
    });
    let seq = 0;
    const context: OpContext = {
      device: session.device,
      signal: call.abort.signal,
      emit: stream ? (event) => stream.emit(event) : (event) => send({ type: 'event', id, event }),
      sendChunk: async (bytes) => {
        for (let offset = 0; offset < bytes.byteLength; offset += LIMITS.chunkBytes) {
          const piece = bytes.subarray(offset, offset + LIMITS.chunkBytes);
          await call.credit.reserve(piece.byteLength);
          call.abort.signal.throwIfAborted();
          send(encodeChunk(id, seq++, piece));
        }
      },
      receiveChunks: () => call.upload,
    };
    const run = (async () => {
      try {
        const result = await handler(args.data, context);
        const host = request.withHost && options.hostFacts ? await options.hostFacts().catch(() => undefined) : undefined;
        const end: CallEnd = { result, ...(host === undefined ? {} : { host }) };
        if (stream) stream.end(end);
        else respond(id, { type: 'response', id, ...end });
      } catch (error) {
        const end: CallEnd = { error: wireError(call.abort.signal.aborted && !isOpenmatesError(error) ? call.abort.signal.reason : error) };
        if (stream) stream.end(end);
        else respond(id, { type: 'response', id, ...end });
      } finally {
        if (!stream) calls.delete(id);
        call.credit.fail(new OpenmatesError('interrupted', 'The call has ended.'));
        call.upload.fail(new OpenmatesError('interrupted', 'The call has ended.'));
      }
    })();
    // A kept stream's work belongs to the agent's registry once this session ends, not to this session's `done`.
    if (stream) return;
    settled.add(run);
    void run.finally(() => settled.delete(run));
  };

  /** What a kept stream sends through this session, as call `id`. */
  const sinkFor = (id: number): StreamSink<unknown, CallEnd> => ({
    event: (seq, event) => send({ type: 'event', id, seq, event }),
    end: (end) => {
      calls.delete(id);
      respond(id, { type: 'response', id, ...end });
    },
    released: () => void calls.delete(id),
  });

  const resume = ({ id, token, after }: ResumeMessage) => {
    if (calls.has(id)) return usage(`call ${id} is already running`, id);
    const claimed = options.streams?.claim<unknown, CallEnd>(token, session.deviceId);
    if (!claimed) return send({ type: 'response', id, error: { code: 'refused', message: 'This agent does not keep streams for resuming.' } });
    if (!('attach' in claimed)) return send({ type: 'response', id, error: wireError(claimed) });
    const abort = new AbortController();
    abort.signal.addEventListener('abort', () => claimed.stop(abort.signal.reason as OpenmatesError));
    const call: RunningCall = { abort, credit: new CreditGate(), upload: new ChunkQueue(() => {}), kept: { stream: claimed, sink: sinkFor(id) } };
    calls.set(id, call);
    const refused = claimed.attach(call.kept!.sink, after);
    if (refused) {
      calls.delete(id);
      send({ type: 'response', id, error: wireError(refused) });
    }
  };

  const respond = (id: number, message: object) => {
    try {
      send(message);
    } catch (error) {
      send({ type: 'response', id, error: wireError(error) });
    }
  };

  session.onMessage(receive);
  const done = new Promise<void>((resolve) => {
    session.onClose((info) => {
      heartbeat.stop();
      const reason = info.error ?? new OpenmatesError('interrupted', `The session ended (${info.reason}).`);
      for (const call of calls.values()) {
        // Only a dropped connection keeps a stream for a resume; a client that closed on purpose (Ctrl-C) wants it stopped.
        if (call.kept && info.error) call.kept.stream.detach(call.kept.sink);
        else {
          call.abort.abort(reason);
          call.kept?.stream.stop(reason);
        }
      }
      void Promise.allSettled([...settled]).then(() => resolve());
    });
  });
  return {
    get inFlight() {
      return calls.size;
    },
    done,
  };
}

function wireError(error: unknown): WireError {
  if (isOpenmatesError(error)) return { code: error.kind, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  return { code: 'operation-failed', message: messageOf(error) };
}
