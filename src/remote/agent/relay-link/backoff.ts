export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const RELAY_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/**
 * The wait before reconnect attempt `attempt` (0 for the first retry): exponential, capped, with
 * "equal jitter" (half fixed, half random) so agents that lost the same relay do not return in step.
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy = RELAY_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
