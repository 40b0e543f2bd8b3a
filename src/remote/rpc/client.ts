import type { ChannelMessage, ChannelSession } from '../channel/session.js';
import { LIMITS } from '../protocol/limits.js';
import { OPS, type OpArgs, type OpName, type OpResult } from '../protocol/ops.js';
import { decodeChunk, encodeChunk, serverMessageSchema, type ResponseMessage } from '../protocol/rpc-messages.js';
import { AckCounter, CreditGate } from './credit.js';
import { pingSession, startHeartbeat, type HeartbeatOptions } from './heartbeat.js';
import { RemoteError } from './remote-error.js';
import { zodSummary } from './zod-summary.js';

export interface CallOptions {
  signal?: AbortSignal;
  onEvent?: (event: unknown) => void;
  /** Each chunk of the call's download, in order; the next waits for the promise (that is the backpressure). */
  onChunk?: (bytes: Uint8Array) => void | Promise<void>;
  /** Bytes to send after the request, under the agent's credit window. */
  upload?: AsyncIterable<Uint8Array> | Uint8Array;
  withHost?: boolean;
  onHost?: (host: unknown) => void;
}

interface PendingCall {
  /** Its id on the session that carries it now (a resumed call gets a new one). */
  id: number;
  op: OpName;
  options: CallOptions;
  resolve(result: unknown): void;
  reject(error: RemoteError): void;
  acks: AckCounter;
  credit: CreditGate;
  /** onChunk calls in order; the response waits for them. */
  chunks: Promise<void>;
  failed?: RemoteError;
  /** A resumable call: its token, how long the agent keeps it, and the last event its caller got. */
  resume?: { token: string; graceMs: number; lastSeq: number };
  /** The client whose session carries it now. */
  owner: RpcClient;
}

/** A resumable call whose session ended: hand it to resume() on a new session of the same device. */
export interface DetachedCall {
  readonly op: OpName;
  readonly resume?: { readonly graceMs: number };
}

export interface RpcClientOptions extends HeartbeatOptions {
  /**
   * The session ended with resumable calls in flight: they are handed here, unsettled, instead of
   * failing (the caller resumes them on a new session, or fails them). Without it they fail.
   */
  onDetached?: (calls: DetachedCall[], error: RemoteError) => void;
}

/** setImmediate in Node; a browser (the web page runs this client too) has only setTimeout. */
const nextTurn: (callback: () => void) => void = (globalThis as { setImmediate?: (callback: () => void) => void }).setImmediate ?? ((callback) => setTimeout(callback, 0));

/** Calls operations on one session. Every failure is a RemoteError whose `code` maps to an exit code. */
export class RpcClient {
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private closedError: RemoteError | undefined;
  private silenceError: RemoteError | undefined;
  private readonly heartbeat: ReturnType<typeof startHeartbeat>;

  constructor(private readonly session: ChannelSession, private readonly options: RpcClientOptions = {}) {
    this.heartbeat = startHeartbeat(pingSession(session), options, LIMITS.heartbeatTimeoutMs, (silentMs) => {
      this.silenceError = new RemoteError('disconnected', `The agent stopped answering: nothing heard for ${Math.round(silentMs / 1000)} s.`, 'check the connection (or the SSH tunnel) and that the agent still runs, then try again');
      session.close('heartbeat lost');
    });
    session.onMessage((message) => this.receive(message));
    session.onClose((info) => {
      this.heartbeat.stop();
      const error = this.silenceError ?? (info.error ? RemoteError.from(info.error) : undefined) ?? new RemoteError('operation-failed', `The remote session closed (${info.reason}).`, 'connect again');
      this.closedError ??= error;
      // Only a dropped connection leaves streams on the agent to resume: one it closed on purpose (stopping) ended them.
      const dropped = error.code === 'disconnected';
      const detach = this.options.onDetached && dropped ? this.options.onDetached : undefined;
      // A response that arrived just before the close (often in the same packet: an agent that
      // stops answers its waiting calls first) settles its call before the close fails the rest
      // (or hands a resumable one over). A call whose reader has stopped taking chunks does not
      // hold the close up: a turn of the event loop at most.
      for (const [id, call] of [...this.pending]) {
        void Promise.race([call.chunks, new Promise<void>((resolve) => nextTurn(resolve))]).then(() => {
          if (this.pending.get(id) !== call) return;
          if (!detach || !call.resume || call.failed) return this.settle(id, inFlight(call.op, error));
          this.pending.delete(id);
          detach([call], error);
        });
      }
    });
  }

  get closed(): boolean {
    return this.closedError !== undefined || this.session.closed;
  }

  call<O extends OpName>(op: O, args: OpArgs<O>, options: CallOptions = {}): Promise<OpResult<O>> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (options.signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId++;
    return new Promise<OpResult<O>>((resolve, reject) => {
      const onAbort = () => call.owner.abandonCall(call);
      const call: PendingCall = {
        id,
        owner: this,
        op,
        options,
        resolve: (result) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(result as OpResult<O>);
        },
        reject: (error) => {
          options.signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
        acks: new AckCounter(),
        credit: new CreditGate(),
        chunks: Promise.resolve(),
      };
      this.pending.set(id, call);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.session.send({ type: 'request', id, op, args, ...(options.withHost ? { withHost: true } : {}) });
      } catch (error) {
        this.settle(id, RemoteError.from(error));
        return;
      }
      if (options.upload) void this.pumpUpload(id, call, options.upload);
    });
  }

  /** Continues a call detached from an earlier session of this device: its events from the one after the last it got. */
  resume(handle: DetachedCall): void {
    const call = handle as PendingCall;
    if (this.closedError) return call.reject(this.closedError);
    if (call.options.signal?.aborted) return call.reject(cancelled());
    call.id = this.nextId++;
    call.owner = this;
    this.pending.set(call.id, call);
    try {
      this.session.send({ type: 'resume', id: call.id, token: call.resume!.token, after: call.resume!.lastSeq });
    } catch (error) {
      this.settle(call.id, RemoteError.from(error));
    }
  }

  /** Fails a detached call that will not be resumed. */
  static fail(handle: DetachedCall, error: RemoteError): void {
    (handle as PendingCall).reject(error);
  }

  private abandonCall(call: PendingCall): void {
    if (this.pending.get(call.id) !== call) return;
    this.send({ type: 'cancel', id: call.id });
    this.settle(call.id, cancelled());
  }

  close(reason = 'client closed'): void {
    this.heartbeat.stop();
    this.failAll(new RemoteError('interrupted', 'The remote session was closed by this client.'));
    this.session.close(reason);
  }

  private async pumpUpload(id: number, call: PendingCall, upload: AsyncIterable<Uint8Array> | Uint8Array): Promise<void> {
    let seq = 0;
    try {
      const pieces = upload instanceof Uint8Array ? [upload] : upload;
      for await (const bytes of pieces) {
        for (let offset = 0; offset < bytes.byteLength; offset += LIMITS.chunkBytes) {
          const piece = bytes.subarray(offset, offset + LIMITS.chunkBytes);
          await call.credit.reserve(piece.byteLength);
          if (!this.pending.has(id)) return;
          this.session.send(encodeChunk(id, seq++, piece));
        }
      }
      if (this.pending.has(id)) this.session.send({ type: 'end', id });
    } catch (error) {
      if (!this.pending.has(id)) return;
      this.send({ type: 'cancel', id });
      this.settle(id, new RemoteError('operation-failed', `Reading the upload failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private receive(message: ChannelMessage): void {
    this.heartbeat.heard();
    if (message.kind === 'binary') return this.receiveChunk(message.bytes);
    if (message.kind !== 'json') return;
    const parsed = serverMessageSchema.safeParse(message.value);
    if (!parsed.success) return; // newer agents may send more; nothing here depends on it
    const msg = parsed.data;
    switch (msg.type) {
      case 'response':
        return this.receiveResponse(msg);
      case 'event': {
        const call = this.pending.get(msg.id);
        if (!call) return;
        if (call.resume && msg.seq !== undefined) {
          if (msg.seq <= call.resume.lastSeq) return; // sent again after a resume: already delivered
          if (msg.seq !== call.resume.lastSeq + 1) return this.abandon(msg.id, gap(call.op, call.resume.lastSeq + 1, msg.seq - 1));
          call.resume.lastSeq = msg.seq;
        }
        try {
          call.options.onEvent?.(msg.event);
        } catch (error) {
          this.abandon(msg.id, error);
        }
        return;
      }
      case 'resumable': {
        const call = this.pending.get(msg.id);
        if (call && !call.resume) call.resume = { token: msg.token, graceMs: msg.graceMs, lastSeq: 0 };
        return;
      }
      case 'ack':
        return this.pending.get(msg.id)?.credit.grant(msg.bytes);
      case 'ping':
        return this.send({ type: 'pong' });
      case 'pong':
      case 'error':
        return;
    }
  }

  private receiveChunk(frame: Uint8Array): void {
    const chunk = decodeChunk(frame);
    const call = chunk && this.pending.get(chunk.id);
    if (!chunk || !call) return;
    const id = chunk.id;
    call.chunks = call.chunks.then(async () => {
      if (call.failed || !this.pending.has(id)) return;
      try {
        await call.options.onChunk?.(chunk.bytes);
      } catch (error) {
        this.abandon(id, error);
        return;
      }
      const ack = call.acks.consumed(chunk.bytes.byteLength);
      if (ack !== undefined) this.send({ type: 'ack', id, bytes: ack });
    });
  }

  private receiveResponse(response: ResponseMessage): void {
    const call = this.pending.get(response.id);
    if (!call) return;
    void call.chunks.then(() => {
      if (!this.pending.has(response.id)) return;
      if (response.host !== undefined) call.options.onHost?.(response.host);
      if (response.error) return this.settle(response.id, new RemoteError(response.error.code, response.error.message, response.error.hint));
      const result = OPS[call.op].result.safeParse(response.result);
      if (!result.success) return this.settle(response.id, new RemoteError('operation-failed', `The agent's answer to ${call.op} is malformed: ${zodSummary(result.error)}.`, 'update openmates on the agent and here to the same version'));
      this.settle(response.id, undefined, result.data);
    });
  }

  /** The caller's own callback failed: stop the call on both sides. */
  private abandon(id: number, error: unknown): void {
    this.send({ type: 'cancel', id });
    this.settle(id, RemoteError.from(error));
  }

  private settle(id: number, error: RemoteError | undefined, result?: unknown): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    if (error) {
      call.failed = error;
      call.credit.fail(error);
      call.reject(error);
    } else {
      call.credit.fail(new RemoteError('interrupted', 'The call has ended.'));
      call.resolve(result);
    }
  }

  private failAll(error: RemoteError): void {
    this.closedError ??= error;
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }

  private send(message: object): void {
    if (!this.session.closed) this.session.send(message);
  }
}

/** What a call in flight hears when its session ends: a dropped connection says which call, and that it may have run. */
function inFlight(op: OpName, error: RemoteError): RemoteError {
  if (error.code !== 'disconnected') return error;
  return new RemoteError('disconnected', `The connection dropped while ${op} was in flight: it may or may not have run. ${error.message}`, 'check its effect, then try again');
}

function gap(op: OpName, from: number, to: number): RemoteError {
  return new RemoteError('disconnected', `${from === to ? `Event ${from}` : `Events ${from}–${to}`} of the ${op} stream never arrived.`, 'start it again');
}

function cancelled(): RemoteError {
  return new RemoteError('interrupted', 'The request was cancelled.');
}

