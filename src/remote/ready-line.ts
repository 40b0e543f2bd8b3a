import { formatLink } from './link.js';
import type { DeviceRole } from './protocol/handshake-messages.js';

/** What the ready line reads of the agent's status and device (structural: the SDK, which exports this file, must not load the agent's Node-only types). */
type ReadyStatus = { agentId?: string; url?: string; name?: string; safetyMode?: boolean };
type ReadyDevice = { id: string; name: string; role: DeviceRole };

/**
 * The first line `remote-access start --json` prints, once the agent takes connections. An
 * orchestrator (the maker of an e2b sandbox, a CI job) builds the device's link from it and the
 * seed it kept: formatLink({url: relay ?? url, agentId: agent, deviceId: device.id, deviceSeed}).
 * `type`, `agent` and `relay` are stable; `relay` is null in direct mode.
 */
export interface ReadyLine {
  type: 'ready';
  agent: string;
  relay: string | null;
  /** The direct-mode address. */
  url: string;
  name: string;
  safetyMode: boolean;
  /** The device of --device-key-file (no key in it). */
  device?: ReadyDevice;
}

export function readyLine(status: ReadyStatus, relayUrl: string | undefined, device: ReadyDevice | undefined): ReadyLine {
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

/** The device's link from the ready line and the seed its maker kept (the relay's address when there is one). */
export function linkFromReady(ready: Pick<ReadyLine, 'agent' | 'relay' | 'url'> & { device?: { id: string } }, deviceSeed: string): string {
  if (!ready.device) throw new Error('The ready line names no device: start the agent with --device-key-file FILE.');
  return formatLink({ url: ready.relay ?? ready.url, agentId: ready.agent, deviceId: ready.device.id, deviceSeed });
}
