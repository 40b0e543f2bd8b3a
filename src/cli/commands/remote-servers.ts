import { addSavedServer, listSavedServers, removeSavedServer, savedServersPath } from '../../remote/client/saved-servers.js';
import { probeServer, type ServerState } from '../../remote/client/probe-server.js';
import type { CliContext } from '../context.js';
import { table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { readRemoteLink } from '../remote/remote-options.js';
import type { RemoteServersOptions } from './remote-servers.command.js';

/** How long `remote servers` waits for each server (all at once). */
const PROBE_TIMEOUT_MS = 5000;

/** The link's host (and port), never its fragment: that is the key. */
function hostOf(link: string): string {
  try {
    return new URL(link).host;
  } catch {
    return '?';
  }
}

export async function serversListCommand(options: RemoteServersOptions, context: CliContext): Promise<number> {
  const servers = await listSavedServers();
  const states = await Promise.all(servers.map((server) => probeServer(server.link, PROBE_TIMEOUT_MS)));
  const rows = servers.map((server, index) => ({ name: server.name, host: hostOf(server.link), added: server.added, ...states[index]! }));
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', servers: rows });
    return 0;
  }
  if (rows.length === 0) {
    context.stdout.write('No saved servers. Save one with: openmates remote servers add NAME --link-file FILE\n');
    return 0;
  }
  context.stdout.write(`${table([['NAME', 'ADDRESS', 'STATE'], ...rows.map((row) => [row.name, row.host, stateText(row)])])}\n`);
  return 0;
}

function stateText(state: ServerState): string {
  if (state.state === 'unreachable') return `unreachable: ${state.reason}`;
  return `reachable: "${state.agent}", safety mode ${state.safetyMode ? 'on' : 'off'}, you are ${state.device.role} "${state.device.name}"`;
}

export async function serversAddCommand(options: RemoteServersOptions, context: CliContext): Promise<number> {
  const link = await readRemoteLink({ ...(options.linkFile !== undefined ? { linkFile: options.linkFile } : {}), withHost: false, json: options.json });
  const saved = await addSavedServer(options.name!, link);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', name: saved.name, host: hostOf(saved.link), added: saved.added });
  else context.stdout.write(`Saved ${saved.name} (${hostOf(saved.link)}) in ${savedServersPath()}: use it with openmates remote --to ${saved.name} ...\n`);
  return 0;
}

export async function serversRemoveCommand(options: RemoteServersOptions, context: CliContext): Promise<number> {
  await removeSavedServer(options.name!);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', name: options.name, removed: true });
  else context.stdout.write(`Forgot ${options.name}. Its device still works on the server until revoked there (openmates remote-access devices revoke NAME).\n`);
  return 0;
}
