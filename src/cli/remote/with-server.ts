import { connect, type ConnectionState, type RemoteServer } from '../../remote/sdk/index.js';
import type { CliContext } from '../context.js';
import { writeJsonLine } from '../render/json-lines.js';
import { hostText } from './remote-text.js';
import { readRemoteLink, type RemoteOptions } from './remote-options.js';

/**
 * Connects with the link, runs `use`, prints the host facts when asked, and always closes. With
 * `reconnect` (a stream that resumes: followed logs, a command's output) a dropped connection is
 * opened again and the stream continues; stderr says so.
 */
export async function withRemoteServer<T>(options: RemoteOptions, context: CliContext, use: (server: RemoteServer) => Promise<T>, { reconnect = false } = {}): Promise<T> {
  const server = await connect(await readRemoteLink(options), {
    signal: context.signal,
    reconnect,
    withHost: options.withHost,
    // Safety mode on the server: the call waits until a person there decides; say so, and how long at most.
    onApproval: (approval) => {
      context.stderr.write(`waiting for approval ${approval.id}: ${approval.headline} (until ${approval.expiresAt.slice(11, 19)} UTC)\n`);
    },
  });
  if (reconnect) server.connection.onChange((state) => context.stderr.write(connectionText(state)));
  const cancel = () => server.close();
  context.signal.addEventListener('abort', cancel, { once: true });
  try {
    const result = await use(server);
    if (options.withHost && server.lastHost) {
      if (options.json) writeJsonLine(context.stdout, { type: 'host', ...server.lastHost });
      else context.stderr.write(hostText(server.lastHost));
    }
    return result;
  } finally {
    context.signal.removeEventListener('abort', cancel);
    server.close();
  }
}

function connectionText(state: ConnectionState): string {
  switch (state.state) {
    case 'connected':
      return 'reconnected: the stream continues where it was\n';
    case 'reconnecting':
      return `connection lost (${state.reason}): reconnecting in ${Math.max(0, Math.round((Date.parse(state.retryAt) - Date.now()) / 1000))} s\n`;
    case 'closed':
      return state.error ? `connection closed: ${state.error.message}\n` : '';
  }
}
