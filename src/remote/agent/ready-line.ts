import type { ReadyLine } from '../ready-line.js';
import type { AgentStatus, DeviceState } from './agent-types.js';

/** The ready line of a started agent (its shape lives beside linkFromReady, which browsers import too). */
export function readyLine(status: AgentStatus, relayUrl: string | undefined, device: DeviceState | undefined): ReadyLine {
  return {
    type: 'ready',
    agent: status.agentId ?? '',
    relay: relayUrl ?? null,
    url: status.url ?? '',
    name: status.name ?? '',
    safetyMode: status.safetyMode === true,
    ...(device ? { device: { id: device.id, name: device.name, role: device.role } } : {}),
  };
}
