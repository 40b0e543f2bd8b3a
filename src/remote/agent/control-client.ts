import { connect } from 'node:net';
import { OpenmatesError, type ErrorKind } from '../../core/errors.js';
import { ERROR_KINDS } from '../protocol/error-codes.js';
import { controlResponseSchema, type ControlRequest } from './control-messages.js';

/**
 * Asks the running agent; undefined when no agent listens on the socket (the caller then reads
 * the state files). An error the agent reports is thrown as the OpenmatesError it was.
 */
export async function askAgent(socketPath: string, request: ControlRequest, timeoutMs = 10_000): Promise<unknown | undefined> {
  const text = await new Promise<string | undefined>((resolve, reject) => {
    const connection = connect(socketPath);
    let data = '';
    const timer = setTimeout(() => {
      connection.destroy();
      reject(new OpenmatesError('operation-failed', `The remote-access agent did not answer on ${socketPath} within ${timeoutMs / 1000} s.`, 'Check that it is not stuck; stop it with Ctrl-C in its terminal.'));
    }, timeoutMs);
    connection.setEncoding('utf8');
    connection.on('connect', () => connection.write(`${JSON.stringify(request)}\n`));
    connection.on('data', (chunk: string) => (data += chunk));
    connection.on('end', () => {
      clearTimeout(timer);
      resolve(data);
    });
    connection.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(undefined);
      else reject(new OpenmatesError('operation-failed', `Cannot reach the remote-access agent on ${socketPath}: ${error.message}.`));
    });
  });
  if (text === undefined) return undefined;
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
