import { messageOf } from '../core/errors.js';

/** Why a fetch to `host` failed, in words: "nothing answers at … (connection refused)", "… does not resolve (offline?)". */
export function fetchFailureReason(error: unknown, host: string): string {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return `nothing answers at ${host} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the name ${host.replace(/:\d+$/, '')} does not resolve (offline?)`;
    case 'ECONNRESET':
      return `${host} closed the connection`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `${host} is not reachable from this server (no route)`;
    default:
      return `${host} could not be reached (${messageOf(cause ?? error)})`;
  }
}

/** True when the signal fired because its deadline passed (AbortSignal.timeout), not because someone stopped us. */
export function timedOut(signal: AbortSignal | undefined): boolean {
  return (signal?.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}
