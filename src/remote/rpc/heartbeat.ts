import type { ChannelSession } from '../channel/session.js';
import { LIMITS } from '../protocol/limits.js';

export interface HeartbeatOptions {
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
}

/**
 * Calls `ping` every interval; calls `onDead` once when nothing at all was heard for the timeout.
 * `heard()` is called for everything received. The channel's sessions ping with a sealed message
 * (`pingSession`), the agent's link to its relay with a WebSocket ping.
 */
export function startHeartbeat(ping: () => void, options: HeartbeatOptions, defaultTimeoutMs: number, onDead: (silentMs: number) => void): { heard(): void; stop(): void } {
  const intervalMs = options.heartbeatIntervalMs ?? LIMITS.heartbeatIntervalMs;
  const timeoutMs = options.heartbeatTimeoutMs ?? defaultTimeoutMs;
  let lastHeard = Date.now();
  const timer = setInterval(() => {
    const silent = Date.now() - lastHeard;
    if (silent >= timeoutMs) {
      clearInterval(timer);
      onDead(silent);
    } else ping();
  }, Math.min(intervalMs, timeoutMs));
  // A heartbeat alone must not keep a Node process alive.
  (timer as { unref?: () => void }).unref?.();
  return {
    heard: () => {
      lastHeard = Date.now();
    },
    stop: () => clearInterval(timer),
  };
}

/** A session's ping: a sealed `ping` message, while it is open. */
export function pingSession(session: ChannelSession): () => void {
  return () => {
    if (!session.closed) session.send({ type: 'ping' });
  };
}
