import { connect, type RemoteServer } from '../../remote/sdk/index.js';
import type { CliContext } from '../context.js';
import { writeJsonLine } from '../render/json-lines.js';
import { hostText } from './remote-text.js';
import { readRemoteLink, type RemoteOptions } from './remote-options.js';

/** Connects with the link, runs `use`, prints the host facts when asked, and always closes. */
export async function withRemoteServer<T>(options: RemoteOptions, context: CliContext, use: (server: RemoteServer) => Promise<T>): Promise<T> {
  const server = await connect(await readRemoteLink(options), {
    signal: context.signal,
    withHost: options.withHost,
    // Safety mode on the server: the call waits until a person there decides; say so, and how long at most.
    onApproval: (approval) => {
      context.stderr.write(`waiting for approval ${approval.id}: ${approval.headline} (until ${approval.expiresAt.slice(11, 19)} UTC)\n`);
    },
  });
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
