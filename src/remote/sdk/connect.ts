import { openChannel } from '../channel/open.js';
import { parseLink, webSocketUrl, type DeviceLink } from '../link.js';
import { RemoteError } from '../rpc/remote-error.js';
import { remoteServer, type RemoteServer, type RemoteServerOptions } from './remote-server.js';

export interface ConnectOptions extends RemoteServerOptions {
  signal?: AbortSignal;
  handshakeTimeoutMs?: number;
}

/**
 * Connects to an agent with a device link (the text, or parseLink's result). Rejects with a
 * RemoteError: 'usage' for a malformed link, 'device-refused' for an unknown or revoked device
 * or a link for another server, 'operation-failed' when the agent cannot be reached.
 */
export async function connect(link: string | DeviceLink, options: ConnectOptions = {}): Promise<RemoteServer> {
  try {
    const parsed = typeof link === 'string' ? parseLink(link) : link;
    const session = await openChannel(webSocketUrl(parsed), {
      agentId: parsed.agentId,
      deviceId: parsed.deviceId,
      deviceSeed: parsed.deviceSeed,
      signal: options.signal,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
    });
    return remoteServer(session, options);
  } catch (error) {
    throw RemoteError.from(error);
  }
}
