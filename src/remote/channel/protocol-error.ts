import { OpenmatesError } from '../../core/errors.js';

/** The channel broke a rule of the protocol: the session ends, nothing after it is trusted. */
export function protocolError(what: string): OpenmatesError {
  return new OpenmatesError(
    'operation-failed',
    `Remote protocol error: ${what}; the session was closed.`,
    'connect again; if it keeps happening, something between this client and the agent changes the traffic, or one side runs an incompatible openmates',
  );
}
