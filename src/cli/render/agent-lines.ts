import type { AgentEvent } from '../../remote/agent/agent-types.js';
import { relayStateText } from '../../remote/agent/relay-link/relay-link-state.js';
import { recordLine } from '../commands/remote-access-audit.js';

/** One stderr line per agent event, for `remote-access start` without a terminal. */
export function agentEventLine(event: AgentEvent): string {
  switch (event.type) {
    case 'listening': {
      const status = event.status;
      const shared = status.fullAccess ? 'the whole machine' : (status.roots ?? []).join(', ');
      return [
        `Remote access for ${status.name} listening on ${status.url} (agent ${status.agentId})`,
        ...(status.relay ? [`  Relay: ${status.relay.url} (devices connect through it)`] : []),
        `  Shared: ${shared}`,
        `  Mode: ${status.safetyMode ? 'safety mode on: every change waits for an approval (openmates remote-access approvals)' : 'safety mode off: changes run at once'}`,
        `  Devices: ${status.devices.filter((device) => !device.revoked).map((device) => `${device.name} (${device.role})`).join(', ') || 'none yet (openmates remote-access devices add NAME)'}`,
      ].join('\n');
    }
    case 'request':
      return recordLine(event.record);
    case 'connected':
      return `${event.device.name} connected (${event.sessions} session${event.sessions === 1 ? '' : 's'})`;
    case 'disconnected':
      return `${event.device.name} disconnected: ${event.reason}`;
    case 'refused-connection':
      return `A connection was refused: ${event.reason}`;
    case 'device-added':
      return `Device added: ${event.device.name} (${event.device.role})`;
    case 'device-revoked':
      return `Device revoked: ${event.device.name}; its sessions were ended`;
    case 'stopping':
      return `Stopping: ${event.reason}`;
    case 'relay':
      return `Relay: ${relayStateText(event.relay)}`;
    case 'approval': {
      const approval = event.approval;
      if (approval.state === 'pending') return `Waiting for approval ${approval.id}: ${approval.headline} (openmates remote-access approve ${approval.id} | deny ${approval.id})`;
      return `Approval ${approval.id} ${approval.state}${approval.decidedBy ? ` by ${approval.decidedBy.name}` : ''}${approval.reason ? `: ${approval.reason}` : ''}`;
    }
  }
}
