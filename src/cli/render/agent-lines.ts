import type { AgentEvent } from '../../remote/agent/agent-types.js';
import { recordLine } from '../commands/remote-access-audit.js';

/** One stderr line per agent event, for `remote-access start` without a terminal. */
export function agentEventLine(event: AgentEvent): string {
  switch (event.type) {
    case 'listening': {
      const status = event.status;
      const shared = status.fullAccess ? 'the whole machine' : (status.roots ?? []).join(', ');
      return [
        `Remote access for ${status.name} listening on ${status.url} (agent ${status.agentId})`,
        `  Shared: ${shared}`,
        `  Mode: ${status.safetyMode ? 'safety mode on: changes are refused (approvals come in a later version)' : 'safety mode off: changes run at once'}`,
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
  }
}
