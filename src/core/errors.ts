/**
 * Every failure an operation can end with. The kind decides the exit code (src/cli/exit-codes.ts);
 * the message is one sentence naming the cause, the hint says what to do about it.
 */
export type ErrorKind =
  | 'usage' // bad flags or arguments
  | 'invalid-stack' // the stack file (or the install's copy of it) is not valid
  | 'preflight' // a preflight check failed: port taken, compose missing, requirements (strict)
  | 'engine-unreachable' // the Docker engine does not answer
  | 'needs-answer' // a question has no answer and there is no TTY to ask
  | 'not-installed' // the operation needs an installed instance
  | 'unsafe' // going on would lose data (e.g. data volumes exist but .env is gone)
  | 'operation-failed' // pull, compose, file system or registry failed
  | 'health-timeout' // the stack did not become healthy before the deadline
  | 'invalid-config' // a settings or state file of ours is corrupt
  | 'interrupted' // Ctrl-C / SIGTERM
  | 'login-failed' // pair login: wrong PIN after the last attempt, code expired, server refused
  | 'confirmation-required' // the exact confirmation phrase was not given (restore, reset, uninstall)
  | 'rolled-back' // an update failed and the previous version was put back, healthy
  | 'rollback-failed' // an update failed and putting the previous version back failed too
  | 'device-refused' // remote access: an unknown or revoked device, or a link that does not match this agent
  | 'approval-denied' // remote access: a change was denied, not answered in time, or cancelled
  | 'refused' // remote access: the policy refused the request (outside the shared roots, a sensitive file, an operator deciding, a second decision)
  | 'conflict' // remote access: the file changed since the caller read it; nothing was overwritten
  | 'disconnected'; // remote access: the connection dropped while the call was in flight; it may or may not have run

export class OpenmatesError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
    /** Extra lines shown under the message, e.g. the last log lines of a failing service. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'OpenmatesError';
  }
}

export function isOpenmatesError(error: unknown): error is OpenmatesError {
  return error instanceof OpenmatesError;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
