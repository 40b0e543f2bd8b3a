import type { AgentEvent, AgentStatus } from '../../remote/agent/agent-types.js';
import type { AuditRecord } from '../../remote/agent/audit-record.js';

/** What the remote-access screen shows, folded from the agent's events. */
export interface RemoteViewState {
  status?: AgentStatus;
  feed: AuditRecord[];
  notices: string[];
  stopping?: string;
}

const FEED_LINES = 200;

export function foldAgentEvent(state: RemoteViewState, event: AgentEvent): RemoteViewState {
  switch (event.type) {
    case 'listening':
      return { ...state, status: event.status };
    case 'request':
      return { ...state, feed: [...state.feed, event.record].slice(-FEED_LINES), status: state.status && { ...state.status, requests: state.status.requests + 1 } };
    case 'connected':
    case 'disconnected':
      return {
        ...state,
        status: state.status && { ...state.status, devices: state.status.devices.map((device) => (device.id === event.device.id ? { ...device, connected: event.sessions } : device)) },
        notices: [...state.notices, event.type === 'connected' ? `${event.device.name} connected` : `${event.device.name} disconnected: ${event.reason}`].slice(-3),
      };
    case 'refused-connection':
      return { ...state, notices: [...state.notices, `refused a connection: ${event.reason}`].slice(-3) };
    case 'device-added':
      return { ...state, status: state.status && { ...state.status, devices: [...state.status.devices, event.device] } };
    case 'device-revoked':
      return { ...state, status: state.status && { ...state.status, devices: state.status.devices.map((device) => (device.id === event.device.id ? { ...event.device, connected: 0 } : device)) } };
    case 'stopping':
      return { ...state, stopping: event.reason };
    case 'approval':
      return state;
    case 'relay':
      return { ...state, status: state.status && { ...state.status, relay: event.relay } };
  }
}
