import { auditPaths, readHead } from './audit-log.js';
import type { AgentStatus } from './agent-types.js';
import { openDeviceStore } from './device-store.js';
import { readIdentity } from './identity-store.js';

/** What `status` and `devices` show when no agent runs: the state files as they are. */
export async function readOfflineStatus(stateDir: string): Promise<AgentStatus> {
  const [identity, devices, head] = await Promise.all([readIdentity(stateDir), openDeviceStore(stateDir), readHead(auditPaths(stateDir).head)]);
  return {
    running: false,
    ...(identity ? { agentId: identity.agentId } : {}),
    devices: devices.list().map((device) => ({ id: device.id, name: device.name, role: device.role, created: device.created, ...(device.revoked ? { revoked: device.revoked } : {}), ...(device.rawSecrets ? { rawSecrets: true } : {}), connected: 0 })),
    requests: head?.count ?? 0,
    stateDir,
  };
}
