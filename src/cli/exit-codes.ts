import type { ErrorKind } from '../core/errors.js';

/** Every exit code with its meaning; --help and README.md ("Exit codes") show this table. */
export const EXIT_CODES = [
  { code: 0, kind: undefined, meaning: 'success' },
  { code: 1, kind: undefined, meaning: 'internal error (a bug: please report it)' },
  { code: 2, kind: 'usage', meaning: 'usage error: unknown command or flag, bad value, or the app without a terminal' },
  { code: 3, kind: 'invalid-stack', meaning: 'the stack file (or the compose file it names) is invalid' },
  { code: 4, kind: 'preflight', meaning: 'preflight failed (port taken, Compose missing, requirements with --strict-requirements)' },
  { code: 5, kind: 'engine-unreachable', meaning: 'the Docker engine is unreachable' },
  { code: 6, kind: 'operation-failed', meaning: 'the operation failed (pull, registry, Compose, file system)' },
  { code: 7, kind: 'health-timeout', meaning: 'the stack did not become healthy before the deadline' },
  { code: 8, kind: 'unsafe', meaning: 'refused because going on would put data at risk' },
  { code: 9, kind: 'needs-answer', meaning: 'a question needs an answer and there is no terminal: pass the flag the message names' },
  { code: 10, kind: 'not-installed', meaning: 'not installed' },
  { code: 11, kind: 'invalid-config', meaning: 'a settings or state file of openmates is corrupt (the message names it)' },
  { code: 12, kind: 'rolled-back', meaning: 'the update failed and was rolled back: the previous version runs, healthy, with its data' },
  { code: 13, kind: 'rollback-failed', meaning: 'the update failed and the rollback failed too: the message says what to do by hand' },
  { code: 14, kind: 'confirmation-required', meaning: 'the exact confirmation phrase is missing or wrong: the message names the phrase; nothing was changed' },
  { code: 15, kind: 'login-failed', meaning: 'login failed: wrong PIN after the last attempt, the code expired, or the server refused' },
  { code: 15, kind: 'device-refused', meaning: 'remote access: this device is unknown or revoked, or its link is for another server' },
  { code: 16, kind: 'approval-denied', meaning: 'remote access: the change was denied, not answered in time, or cancelled: nothing was changed' },
  { code: 17, kind: 'refused', meaning: 'remote access: the policy refused the request (outside the shared folders, a sensitive file, a decision that does not count)' },
  { code: 18, kind: 'conflict', meaning: 'remote access: the file changed since it was read: nothing was overwritten' },
  { code: 19, kind: 'disconnected', meaning: 'remote access: the connection dropped while the call was in flight: it may or may not have run' },
  { code: 130, kind: 'interrupted', meaning: 'interrupted (Ctrl-C, SIGTERM)' },
] as const satisfies readonly { code: number; kind: ErrorKind | undefined; meaning: string }[];

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  interrupted: 130,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  return EXIT_CODES.find((entry) => entry.kind === kind)?.code ?? EXIT.internal;
}
