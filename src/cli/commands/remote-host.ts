import type { CliContext } from '../context.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { RemoteOptions } from '../remote/remote-options.js';
import { hostText } from '../remote/remote-text.js';
import { withRemoteServer } from '../remote/with-server.js';

export async function remoteHostCommand(options: RemoteOptions, context: CliContext): Promise<number> {
  const host = await withRemoteServer(options, context, (server) => server.host({ signal: context.signal }));
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ...host });
  else context.stdout.write(hostText(host));
  return 0;
}
