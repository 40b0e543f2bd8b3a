import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatLink } from '../link.js';
import type { AgentStatus, DeviceState } from './agent-types.js';
import { askAgent } from './control-client.js';
import { controlSocketPath } from './control-path.js';
import { openDeviceStore } from './device-store.js';
import { loadOrCreateIdentity } from './identity-store.js';
import { readOfflineStatus } from './offline-state.js';
import { STATE_FILES } from './state-dir.js';
import type { DeviceRole } from '../protocol/handshake-messages.js';

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 7420 } as const;

/** The running agent's status, or the state files' when none runs. */
export async function agentStatus(stateDir: string): Promise<AgentStatus> {
  const running = (await askAgent(controlSocketPath(stateDir).path, { op: 'status' })) as AgentStatus | undefined;
  return running ?? readOfflineStatus(stateDir);
}

/** Asks the running agent to stop; false when none runs. */
export async function stopAgent(stateDir: string): Promise<boolean> {
  return (await askAgent(controlSocketPath(stateDir).path, { op: 'stop' })) !== undefined;
}

/** The address of the last start (links made while the agent is stopped point there), else the default. */
async function lastUrl(stateDir: string): Promise<string> {
  try {
    const { url } = JSON.parse(await readFile(join(stateDir, STATE_FILES.agent), 'utf8')) as { url?: unknown };
    if (typeof url === 'string') return url;
  } catch {
    // never started: the default address
  }
  return `http://${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}/`;
}

/** Adds a device (through the running agent, or in the state files) and returns its link: the only copy of its key. */
export async function addDevice(stateDir: string, name: string, role: DeviceRole, options: { rawSecrets?: boolean } = {}): Promise<{ device: DeviceState; link: string }> {
  const rawSecrets = options.rawSecrets === true;
  const answer = (await askAgent(controlSocketPath(stateDir).path, { op: 'devices.add', name, role, ...(rawSecrets ? { rawSecrets } : {}) })) as
    | { device: DeviceState; seed: string; agentId: string; url: string }
    | undefined;
  if (answer) return { device: answer.device, link: formatLink({ url: answer.url, agentId: answer.agentId, deviceSeed: answer.seed }) };
  const { agentId } = await loadOrCreateIdentity(stateDir);
  const { device, seed } = await (await openDeviceStore(stateDir)).add(name, role, { rawSecrets });
  // The short link: the device's id is derived from its key (store.add), so the link need not carry it.
  const link = formatLink({ url: await lastUrl(stateDir), agentId, deviceSeed: seed });
  return { device: { id: device.id, name: device.name, role: device.role, created: device.created, ...(device.rawSecrets ? { rawSecrets: true } : {}), connected: 0 }, link };
}

/** Revokes a device; the running agent ends its sessions at once. */
export async function revokeDevice(stateDir: string, name: string): Promise<DeviceState> {
  const answer = (await askAgent(controlSocketPath(stateDir).path, { op: 'devices.revoke', name })) as { device: DeviceState } | undefined;
  if (answer) return answer.device;
  const device = await (await openDeviceStore(stateDir)).revoke(name);
  return { id: device.id, name: device.name, role: device.role, created: device.created, ...(device.revoked ? { revoked: device.revoked } : {}), connected: 0 };
}
