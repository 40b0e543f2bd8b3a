import { connect } from 'node:net';
import { OpenmatesError } from '../../core/errors.js';
import type { ControlRequest } from './control-messages.js';

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
  // The answer's schema (and zod) loads only when an agent answered: `remote-access status` with
  // the agent stopped reads the state files and needs neither.
  const { readControlResponse } = await import('./control-response.js');
  return readControlResponse(text, socketPath);
}
