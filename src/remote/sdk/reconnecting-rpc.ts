import { sleep } from '../../core/sleep.js';
import { reconnectDelayMs, type BackoffPolicy } from '../agent/relay-link/backoff.js';
import type { ChannelCloseInfo, ChannelSession } from '../channel/session.js';
import type { OpArgs, OpName, OpResult } from '../protocol/ops.js';
import { RpcClient, type CallOptions, type DetachedCall, type RpcClientOptions } from '../rpc/client.js';
import { RemoteError } from '../rpc/remote-error.js';
import { connectionState, type Connection } from './connection-state.js';

/** What RemoteServer needs of its calls' carrier: one session (RpcClient) or one that comes back (ReconnectingRpc). */
export type RpcCaller = Pick<RpcClient, 'call' | 'close' | 'closed'>;

export interface ReconnectPolicy {
  /** The first wait; doubled per failed attempt up to capMs, with "equal jitter" (half fixed, half random). */
  baseMs?: number;
  capMs?: number;
}

export const CLIENT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 15_000 };

/** Errors that another attempt cannot fix: the device is unknown or revoked, the link is for another server, no common version. */
function isFinal(error: RemoteError): boolean {
  return error.code === 'device-refused' || error.code === 'usage';
}

/**
 * Calls over a session that is opened again, with capped backoff and jitter, whenever it drops.
 * A call in flight when it drops fails with 'disconnected' (it may or may not have run), except a
 * resumable one (command output, followed logs, approvals.watch): that continues on the new
 * session from the event after the last it got. A call made while reconnecting fails at once.
 */
export class ReconnectingRpc implements RpcCaller {
  private rpc!: RpcClient;
  private stopped = false;
  private readonly stop = new AbortController();
  private readonly connectionValue = connectionState({ state: 'connected', since: new Date().toISOString() });
  private readonly backoff: BackoffPolicy;
  /** Resumable calls of a dropped session, until the next one takes them. */
  private readonly detached = new Set<DetachedCall>();

  constructor(
    private readonly open: (signal: AbortSignal) => Promise<ChannelSession>,
    first: ChannelSession,
    private readonly options: RpcClientOptions & { reconnect?: ReconnectPolicy } = {},
  ) {
    this.backoff = { baseMs: options.reconnect?.baseMs ?? CLIENT_BACKOFF.baseMs, capMs: options.reconnect?.capMs ?? CLIENT_BACKOFF.capMs };
    this.attach(first);
  }

  get connection(): Connection {
    return this.connectionValue;
  }

  get closed(): boolean {
    return this.connectionValue.state.state === 'closed';
  }

  call<O extends OpName>(op: O, args: OpArgs<O>, options: CallOptions = {}): Promise<OpResult<O>> {
    const now = this.connectionValue.state;
    if (now.state === 'reconnecting') return Promise.reject(new RemoteError('disconnected', `The connection to the server is down (${now.reason}); reconnecting.`, 'try again once it is back'));
    return this.rpc.call(op, args, options);
  }

  close(reason = 'client closed'): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stop.abort();
    this.rpc.close(reason);
    this.connectionValue.set({ state: 'closed', reason });
  }

  private attach(session: ChannelSession): void {
    this.rpc = new RpcClient(session, { ...this.options, onDetached: (calls, error) => this.keep(calls, error) });
    session.onClose((info) => this.lost(info));
  }

  /** Resumable calls wait for the next session, as long as the agent keeps their streams. */
  private keep(calls: DetachedCall[], error: RemoteError): void {
    for (const call of calls) {
      if (this.stopped) {
        RpcClient.fail(call, error);
        continue;
      }
      // Handed over a turn after the drop: the new session may be up already.
      if (this.connectionValue.state.state === 'connected' && !this.rpc.closed) {
        this.rpc.resume(call);
        continue;
      }
      this.detached.add(call);
      const timer = setTimeout(() => {
        if (!this.detached.delete(call)) return;
        RpcClient.fail(call, new RemoteError('disconnected', `The connection did not come back within ${Math.round((call.resume?.graceMs ?? 0) / 1000)} s, so the agent no longer keeps the ${call.op} stream (${error.message})`, 'start it again'));
      }, call.resume?.graceMs ?? 0);
      (timer as { unref?: () => void }).unref?.();
    }
  }

  private lost(info: ChannelCloseInfo): void {
    if (this.stopped) return this.failDetached(new RemoteError('interrupted', 'The remote session was closed by this client.'));
    const error = info.error ? RemoteError.from(info.error) : undefined;
    if (error && isFinal(error)) return this.end(info.reason, error);
    void this.reconnect(info.reason);
  }

  private async reconnect(reason: string): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const delay = reconnectDelayMs(attempt, this.backoff);
      this.connectionValue.set({ state: 'reconnecting', attempt, reason, retryAt: new Date(Date.now() + delay).toISOString() });
      await sleep(delay, this.stop.signal);
      if (this.stopped) return;
      let session: ChannelSession;
      try {
        session = await this.open(this.stop.signal);
      } catch (error) {
        const failure = RemoteError.from(error);
        if (this.stopped) return;
        if (isFinal(failure)) return this.end(failure.message, failure);
        reason = failure.message;
        continue;
      }
      if (this.stopped) return session.close('client closed');
      this.attach(session);
      this.connectionValue.set({ state: 'connected', since: new Date().toISOString() });
      for (const call of [...this.detached]) {
        this.detached.delete(call);
        this.rpc.resume(call);
      }
      return;
    }
  }

  private end(reason: string, error: RemoteError): void {
    this.stopped = true;
    this.stop.abort();
    this.failDetached(error);
    this.connectionValue.set({ state: 'closed', reason, error });
  }

  private failDetached(error: RemoteError): void {
    for (const call of [...this.detached]) RpcClient.fail(call, error);
    this.detached.clear();
  }
}
