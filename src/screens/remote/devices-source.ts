import type { DeviceState } from '../../remote/agent/agent-types.js';
import { addDevice, agentStatus, revokeDevice } from '../../remote/agent/device-admin.js';
import { remoteStateDir } from '../../remote/agent/state-dir.js';
import type { DeviceRole } from '../../remote/protocol/handshake-messages.js';

/** Where the Remote access screen lists, adds and revokes devices: the agent's state, or a fake in tests. */
export interface DevicesSource {
  /** Every device, revoked ones included (with their time of revocation). */
  list(): Promise<DeviceState[]>;
  /** The new device and its link: the only copy of its key, shown once. */
  add(name: string, role: DeviceRole): Promise<{ device: DeviceState; link: string }>;
  revoke(name: string): Promise<DeviceState>;
}

/** Through the running agent when there is one (it ends a revoked device's sessions), else in its state files. */
export function stateDirDevices(stateDir: string = remoteStateDir()): DevicesSource {
  return {
    list: async () => (await agentStatus(stateDir)).devices,
    add: (name, role) => addDevice(stateDir, name, role),
    revoke: (name) => revokeDevice(stateDir, name),
  };
}
