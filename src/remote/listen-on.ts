import type { Server } from 'node:http';
import { OpenmatesError } from '../core/errors.js';

/**
 * Starts `server` listening on host:port and resolves to the port it got; an address in use (or
 * another failure) is a clear 'preflight' error. `example` is the --listen value the hint suggests.
 */
export async function listenOn(server: Server, host: string, port: number, example = 'HOST:PORT'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const where = `${host}:${port}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new OpenmatesError('preflight', `Cannot listen on ${where}: the port is taken.`, `Pick another with --listen ${example}, or stop what holds it.`)
          : new OpenmatesError('preflight', `Cannot listen on ${where}: ${error.message}.`, 'Pass another address with --listen HOST:PORT.'),
      );
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('listening', onListening);
    server.once('error', onError);
    server.listen(port, host);
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}
