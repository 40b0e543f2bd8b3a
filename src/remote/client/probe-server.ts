import { messageOf } from '../../core/errors.js';
import type { ErrorKind } from '../../core/errors.js';
import { parseLink } from '../link.js';
import { RemoteError } from '../rpc/remote-error.js';
import { connect } from '../sdk/connect.js';
import type { DeviceRole } from '../protocol/handshake-messages.js';

/** What `openmates remote servers` shows for one saved server: found by connecting, with a short deadline. */
export type ServerState =
  | { state: 'reachable'; agent: string; safetyMode: boolean; device: { name: string; role: DeviceRole } }
  | { state: 'unreachable'; code: ErrorKind | 'timeout'; reason: string };

export async function probeServer(link: string, timeoutMs: number): Promise<ServerState> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<ServerState>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve({ state: 'unreachable', code: 'timeout', reason: `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}` });
    }, timeoutMs);
  });
  const attempt = (async (): Promise<ServerState> => {
    const server = await connect(parseLink(link), { signal: abort.signal, handshakeTimeoutMs: timeoutMs });
    try {
      const info = await server.info({ signal: abort.signal });
      return { state: 'reachable', agent: info.name, safetyMode: info.safetyMode, device: { name: server.device.name, role: server.device.role } };
    } finally {
      server.close();
    }
  })().catch((error: unknown): ServerState => {
    const remote = RemoteError.from(error);
    return { state: 'unreachable', code: remote.code, reason: messageOf(remote) };
  });
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
