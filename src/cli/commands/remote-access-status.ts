import type { AgentStatus } from '../../remote/agent/agent-types.js';
import { agentStatus, stopAgent } from '../../remote/agent/device-admin.js';
import { remoteStateDir } from '../../remote/agent/state-dir.js';
import { relayStateText } from '../../remote/agent/relay-link/relay-link-state.js';
import type { CliContext } from '../context.js';
import { color, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { RemoteAccessStatusOptions } from './remote-access-status.command.js';

export async function remoteAccessStatusCommand(options: RemoteAccessStatusOptions, context: CliContext): Promise<number> {
  const status = await agentStatus(remoteStateDir());
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ...status });
  else context.stdout.write(statusText(status));
  return 0;
}

export async function remoteAccessStopCommand(options: RemoteAccessStatusOptions, context: CliContext): Promise<number> {
  const stopped = await stopAgent(remoteStateDir());
  if (options.json) writeJsonLine(context.stdout, { type: 'result', stopped });
  else context.stdout.write(stopped ? 'The remote-access agent is stopping; every device is disconnected.\n' : 'No remote-access agent is running.\n');
  return 0;
}

export function statusText(status: AgentStatus): string {
  const lines: string[] = [];
  if (status.running) {
    lines.push(`${color.green('●')} ${color.bold(`Remote access is on: ${status.name}`)} (pid ${status.pid}, listening on ${status.url})`);
    if (status.relay) lines.push(`  Relay: ${status.relay.state === 'connected' ? color.green(relayStateText(status.relay)) : color.yellow(relayStateText(status.relay))}`);
    lines.push(`  Shared: ${status.fullAccess ? color.bold('the whole machine') : (status.roots ?? []).join(', ')}`);
    lines.push(`  Mode: ${status.safetyMode ? 'safety mode on (every change waits for an approval: openmates remote-access approvals)' : 'safety mode off (changes run at once)'}`);
    lines.push(`  Requests served: ${status.requests}`);
  } else {
    lines.push(`${color.dim('○')} Remote access is off (start it with \`openmates remote-access start\`).`);
    lines.push(`  Audit records: ${status.requests}`);
  }
  const active = status.devices.filter((device) => !device.revoked);
  lines.push(`  Devices: ${active.length === 0 ? 'none yet (openmates remote-access devices add NAME)' : ''}`);
  if (active.length > 0) lines.push(table(active.map((device) => [`  ${device.name}`, device.role, device.connected > 0 ? color.green(`connected (${device.connected})`) : 'not connected'])));
  lines.push(color.dim(`  State: ${status.stateDir}`), '');
  return lines.join('\n');
}
