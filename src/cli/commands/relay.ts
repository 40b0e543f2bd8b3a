import type { RelayEvent } from '../../remote/relay/relay-events.js';
import { startRelay } from '../../remote/relay/start-relay.js';
import type { CliContext } from '../context.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { RelayCommandOptions } from './relay.command.js';

/** `openmates relay`: in the foreground until Ctrl-C or SIGTERM. */
export async function relayCommand(options: RelayCommandOptions, context: CliContext): Promise<number> {
  const sink = options.json ? (event: RelayEvent) => writeJsonLine(context.stdout, event) : (event: RelayEvent) => context.stderr.write(`${relayEventLine(event)}\n`);
  const relay = await startRelay(options, sink);
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    else context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await relay.stop('stopped by a signal');
  return 0;
}

/** Agent ids are public keys; a prefix is enough to tell them apart in a log. */
const short = (agentId: string) => `${agentId.slice(0, 8)}…`;

export function relayEventLine(event: RelayEvent): string {
  switch (event.type) {
    case 'listening':
      return `Relay listening on ${event.url}${event.publicUrl !== event.url ? ` (devices use ${event.publicUrl})` : ''}\n  Agents: openmates remote-access start --relay ${event.publicUrl}`;
    case 'agent-connected':
      return `Agent ${short(event.agentId)} connected (${event.agents} agent${event.agents === 1 ? '' : 's'})`;
    case 'agent-replaced':
      return `Agent ${short(event.agentId)} connected again; its old connection was closed`;
    case 'agent-gone':
      return `Agent ${short(event.agentId)} went away: ${event.reason} (${event.agents} left)`;
    case 'agent-refused':
      return `Refused an agent from ${event.ip}: ${event.reason}`;
    case 'stopping':
      return `Stopping: ${event.reason}`;
  }
}
