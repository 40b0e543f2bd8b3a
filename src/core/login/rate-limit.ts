import { RateLimitedError } from '../../auth/api-request.js';
import { OpenmatesError } from '../errors.js';
import type { LoginDeps } from './login-deps.js';
import type { LoginSink } from './types.js';

/** When the server sends no Retry-After. */
const DEFAULT_WAIT_SECONDS = 60;
const MAX_RATE_LIMITED_TRIES = 5;

export interface RateLimitPolicy {
  /** Why the server limits this request, for the user: "the server hands out 10 login codes per hour to one address". */
  reason: string;
  /** Epoch ms after which waiting is pointless (the code's expiry). */
  deadline?: number;
}

/**
 * Runs `call`; on HTTP 429 waits as long as the server asks (Retry-After, else 60 s), says so
 * through the sink, and tries again. A wait longer than the deadline or than
 * `maxRateLimitWaitSeconds` is not sat out: it becomes an error saying when to come back.
 */
export async function waitingOutRateLimits<T>(call: () => Promise<T>, policy: RateLimitPolicy, deps: LoginDeps, sink: LoginSink, signal?: AbortSignal): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      const waitSeconds = error.retryAfterSeconds ?? DEFAULT_WAIT_SECONDS;
      const resumeAt = deps.now() + waitSeconds * 1000;
      if (tries >= MAX_RATE_LIMITED_TRIES || waitSeconds > deps.maxRateLimitWaitSeconds || (policy.deadline !== undefined && resumeAt > policy.deadline)) {
        throw new OpenmatesError(
          'operation-failed',
          `The OpenMates API at ${error.apiBase} is rate-limiting requests to ${error.purpose} (HTTP 429): ${policy.reason}.`,
          `Try again in ${humanWait(waitSeconds)}${error.retryAfterSeconds === undefined ? '' : ' (the server asked for that wait)'}.`,
        );
      }
      sink({ type: 'rate-limited', request: error.purpose, reason: policy.reason, waitSeconds, retryAfterGiven: error.retryAfterSeconds !== undefined });
      await deps.sleep(waitSeconds * 1000, signal);
      if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while waiting out the rate limit.');
    }
  }
}

export function humanWait(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
