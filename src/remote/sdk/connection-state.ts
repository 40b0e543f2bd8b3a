import type { ChannelSession } from '../channel/session.js';
import { RemoteError } from '../rpc/remote-error.js';

/** Where a RemoteServer's connection stands. */
export type ConnectionState =
  | { state: 'connected'; since: string }
  /** Lost; the next attempt (0 first) starts at retryAt. */
  | { state: 'reconnecting'; attempt: number; reason: string; retryAt: string }
  /** For good: closed by this client, or the agent refused the device. */
  | { state: 'closed'; reason: string; error?: RemoteError };

export interface Connection {
  readonly state: ConnectionState;
  /** Called on every change; returns the unsubscribe. */
  onChange(listener: (state: ConnectionState) => void): () => void;
}

/** A Connection whose state the owner sets. */
export function connectionState(initial: ConnectionState): Connection & { set(state: ConnectionState): void } {
  let current = initial;
  const listeners = new Set<(state: ConnectionState) => void>();
  return {
    get state() {
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(state) {
      current = state;
      for (const listener of [...listeners]) listener(state);
    },
  };
}

/** One session, no reconnecting: connected until it closes. */
export function sessionConnection(session: ChannelSession): Connection {
  const connection = connectionState(session.closed ? { state: 'closed', reason: 'closed' } : { state: 'connected', since: new Date().toISOString() });
  session.onClose((info) => connection.set({ state: 'closed', reason: info.reason, ...(info.error ? { error: RemoteError.from(info.error) } : {}) }));
  return connection;
}
