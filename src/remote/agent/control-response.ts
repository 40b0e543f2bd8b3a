import { OpenmatesError, type ErrorKind } from '../../core/errors.js';
import { ERROR_KINDS } from '../protocol/error-codes.js';
import { controlResponseSchema } from './control-messages.js';

/** The agent's answer on its control socket: the result, or the OpenmatesError it reported. */
export function readControlResponse(text: string, socketPath: string): unknown {
  let response;
  try {
    response = controlResponseSchema.parse(JSON.parse(text));
  } catch {
    throw new OpenmatesError('operation-failed', `The remote-access agent on ${socketPath} answered something this openmates does not understand.`, 'Is it another version? Stop it and start it again.');
  }
  if (response.ok) return response.result;
  const kind: ErrorKind = (ERROR_KINDS as string[]).includes(response.error.code) ? (response.error.code as ErrorKind) : 'operation-failed';
  throw new OpenmatesError(kind, response.error.message, response.error.hint);
}
