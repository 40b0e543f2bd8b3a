import { hostname } from 'node:os';
import type { SendRequest } from '../../auth/api-request.js';
import { sessionFilePath } from '../../auth/session-store.js';
import { requestText } from '../http/http-request.js';
import { sleep } from '../sleep.js';

/** What the login operations reach the outside through; tests pass a stand-in server's URL and short waits. */
export interface LoginDeps {
  send: SendRequest;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Sent as device_hint: the approving device shows it. */
  hostname: () => string;
  sessionFile: string;
  /** 2 s, as the protocol asks. */
  pollIntervalMs: number;
  /** Each HTTP request's deadline. */
  requestTimeoutMs: number;
  /** Failed polls in a row (network, 5xx) tolerated before the wait gives up. */
  maxPollFailures: number;
  /** Longest 429 wait we sit out; a longer Retry-After is an error saying when to come back. */
  maxRateLimitWaitSeconds: number;
  userAgent: string;
}

export function defaultLoginDeps(overrides: Partial<LoginDeps> = {}): LoginDeps {
  return {
    send: requestText,
    now: Date.now,
    sleep,
    hostname,
    sessionFile: sessionFilePath(),
    pollIntervalMs: 2000,
    requestTimeoutMs: 15_000,
    maxPollFailures: 3,
    maxRateLimitWaitSeconds: 15 * 60,
    userAgent: 'openmates-cli',
    ...overrides,
  };
}
