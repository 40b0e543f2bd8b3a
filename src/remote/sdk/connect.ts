import { openChannel } from '../channel/open.js';
import { parseLink, webSocketUrl, type DeviceLink } from '../link.js';
import { RemoteError } from '../rpc/remote-error.js';
import { ReconnectingRpc, type ReconnectPolicy } from './reconnecting-rpc.js';
import { remoteServer, remoteServerOver, type RemoteServer, type RemoteServerOptions } from './remote-server.js';

export interface ConnectOptions extends RemoteServerOptions {
  /** Aborts connecting (not the connection once made: close() ends that). */
  signal?: AbortSignal;
  handshakeTimeoutMs?: number;
  /**
   * Connect again on its own whenever the connection drops (capped backoff with jitter; `server.connection`
   * shows the state). Calls in flight then fail with 'disconnected', except streams that resume: command
   * output, followed logs and approvals.watch continue where they were, nothing lost or repeated.
   * A refused device ends it for good.
   */
  reconnect?: boolean | ReconnectPolicy;
}

/**
 * Connects to an agent with a device link (the text, or parseLink's result). Rejects with a
 * RemoteError: 'usage' for a malformed link, 'device-refused' for an unknown or revoked device
 * or a link for another server, 'operation-failed' when the agent cannot be reached.
 */
export async function connect(link: string | DeviceLink, options: ConnectOptions = {}): Promise<RemoteServer> {
  try {
    const parsed = typeof link === 'string' ? parseLink(link) : link;
    const open = (signal: AbortSignal | undefined) =>
      openChannel(webSocketUrl(parsed), {
        agentId: parsed.agentId,
        deviceId: parsed.deviceId,
        deviceSeed: parsed.deviceSeed,
        signal,
        handshakeTimeoutMs: options.handshakeTimeoutMs,
      });
    const session = await open(options.signal);
    if (!options.reconnect) return remoteServer(session, options);
    const { reconnect, ...rest } = options;
    const rpc = new ReconnectingRpc(open, session, { heartbeatIntervalMs: rest.heartbeatIntervalMs, heartbeatTimeoutMs: rest.heartbeatTimeoutMs, ...(reconnect === true ? {} : { reconnect }) });
    return remoteServerOver(rpc, session.device, rpc.connection, options);
  } catch (error) {
    throw RemoteError.from(error);
  }
}
