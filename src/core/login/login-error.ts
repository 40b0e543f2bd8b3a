import { OpenmatesError } from '../errors.js';

export type LoginFailure =
  /** The code (or the approval) ran out before the login finished. */
  | 'expired'
  /** Five wrong PINs: the server destroyed the code. */
  | 'too-many-attempts'
  /** The server said no (login refused, session no longer valid). */
  | 'refused'
  /** The bundle did not open with the PIN the server accepted. */
  | 'undecryptable'
  /** There is no stored session. */
  | 'not-logged-in';

/** A login that cannot go on (exit code 15); `reason` lets a face offer the right next step. */
export class LoginFailedError extends OpenmatesError {
  constructor(
    readonly reason: LoginFailure,
    message: string,
    hint?: string,
  ) {
    super('login-failed', message, hint);
    this.name = 'LoginFailedError';
  }
}

export function isLoginFailure(error: unknown, reason?: LoginFailure): error is LoginFailedError {
  return error instanceof LoginFailedError && (reason === undefined || error.reason === reason);
}
