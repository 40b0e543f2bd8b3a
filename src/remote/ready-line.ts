import type { DeviceRole } from './protocol/handshake-messages.js';
import { formatLink } from './link.js';

/**
 * The first line `remote-access start --json` prints (built by agent/ready-line.ts), once the agent takes connections. An
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
  device?: { id: string; name: string; role: DeviceRole };
}

/** The device's link from the ready line and the seed its maker kept (the relay's address when there is one). */
export function linkFromReady(ready: Pick<ReadyLine, 'agent' | 'relay' | 'url'> & { device?: { id: string } }, deviceSeed: string): string {
  if (!ready.device) throw new Error('The ready line names no device: start the agent with --device-key-file FILE.');
  return formatLink({ url: ready.relay ?? ready.url, agentId: ready.agent, deviceId: ready.device.id, deviceSeed });
}
