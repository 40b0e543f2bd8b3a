import type { ChannelSession } from '../channel/session.js';
import { LIMITS } from '../protocol/limits.js';

export interface HeartbeatOptions {
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
}

/**
 * Pings the peer every interval; calls `onDead` once when nothing at all was heard for the
 * timeout. `heard()` is called for every message received.
 */
export function startHeartbeat(session: ChannelSession, options: HeartbeatOptions, defaultTimeoutMs: number, onDead: (silentMs: number) => void): { heard(): void; stop(): void } {
  const intervalMs = options.heartbeatIntervalMs ?? LIMITS.heartbeatIntervalMs;
  const timeoutMs = options.heartbeatTimeoutMs ?? defaultTimeoutMs;
  let lastHeard = Date.now();
  const timer = setInterval(() => {
    const silent = Date.now() - lastHeard;
    if (silent >= timeoutMs) {
      clearInterval(timer);
      onDead(silent);
    } else if (!session.closed) {
      session.send({ type: 'ping' });
    }
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
