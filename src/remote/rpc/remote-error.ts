import { OpenmatesError, type ErrorKind } from '../../core/errors.js';

/** Any failure of a remote call: `code` is the ErrorKind that decides a CLI's exit code (src/cli/exit-codes.ts). */
export class RemoteError extends OpenmatesError {
  constructor(code: ErrorKind, message: string, hint?: string) {
    super(code, message, hint);
    this.name = 'RemoteError';
  }

  get code(): ErrorKind {
    return this.kind;
  }

  static from(error: unknown): RemoteError {
    if (error instanceof RemoteError) return error;
    if (error instanceof OpenmatesError) return new RemoteError(error.kind, error.message, error.hint);
    return new RemoteError('operation-failed', error instanceof Error ? error.message : String(error));
  }
}
