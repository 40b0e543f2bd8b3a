import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { memoizedParse } from '../../core/parse-memo.js';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { createDeviceKeys, deviceIdOf } from '../channel/identity.js';
import { fromBase64Url, loadSodium } from '../sodium.js';
import type { DeviceRole } from '../protocol/handshake-messages.js';
import type { DeviceRecord } from './devices-file.js';
import { STATE_FILES, ensurePrivateDir, writePrivateFile } from './state-dir.js';

export type { DeviceRecord } from './devices-file.js';

/** A device just added: its record, and the seed that goes into its link and is never stored. */
export interface AddedDevice {
  device: DeviceRecord;
  seed: string;
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

export interface DeviceStore {
  readonly path: string;
  list(): DeviceRecord[];
  find(id: string): DeviceRecord | undefined;
  add(name: string, role: DeviceRole, options?: { rawSecrets?: boolean }): Promise<AddedDevice>;
  /**
   * A device whose key someone else made (the unattended start's key file): the active device with
   * this public key when there is one (same role), else a new one. A revoked key never comes back.
   */
  adopt(name: string, role: DeviceRole, publicKey: string): Promise<DeviceRecord>;
  revoke(name: string): Promise<DeviceRecord>;
}

/** devices.json (0600): every device ever added, revoked ones kept with the time of revocation. */
export async function openDeviceStore(stateDir: string): Promise<DeviceStore> {
  const path = join(stateDir, STATE_FILES.devices);
  let devices = await readDevices(path);
  let writes = Promise.resolve();
  const save = (next: DeviceRecord[]) => {
    const run = writes.then(async () => {
      await ensurePrivateDir(stateDir);
      await writePrivateFile(path, `${JSON.stringify({ version: 1, devices: next }, null, 2)}\n`);
    });
    writes = run.catch(() => {});
    return run;
  };
  return {
    path,
    list: () => devices.map((device) => ({ ...device })),
    find: (id) => devices.find((device) => device.id === id),
    async add(name, role, options = {}) {
      if (options.rawSecrets && role !== 'approver') {
        throw new OpenmatesError('usage', `--raw-secrets is for approver devices only; "${name}" would be an ${role}, and operators always get secrets as tokens.`, `Add it with --role approver --raw-secrets, or without --raw-secrets.`);
      }
      checkNewName(devices, name);
      const keys = await createDeviceKeys();
      const device: DeviceRecord = { id: keys.id, name, role, publicKey: keys.publicKey, created: new Date().toISOString(), ...(options.rawSecrets ? { rawSecrets: true } : {}) };
      const next = [...devices, device];
      await save(next);
      devices = next;
      return { device: { ...device }, seed: keys.seed };
    },
    async adopt(name, role, publicKey) {
      const same = devices.filter((device) => device.publicKey === publicKey);
      if (same.some((device) => device.revoked)) {
        throw new OpenmatesError('device-refused', 'The device key given was revoked on this server.', 'Make a new key for the device (a revoked key never comes back).');
      }
      const active = same[0];
      if (active) {
        if (active.role !== role) {
          throw new OpenmatesError('usage', `The device key given belongs to "${active.name}", an ${active.role}, not an ${role}.`, `Ask for role ${active.role}, or revoke "${active.name}" and make a new key.`);
        }
        return { ...active };
      }
      checkNewName(devices, name);
      const sodium = await loadSodium();
      const key = fromBase64Url(sodium, publicKey, 32);
      if (!key) throw new OpenmatesError('usage', 'The device key given is not a 32-byte Ed25519 public key.', 'Make a new key for the device.');
      const device: DeviceRecord = { id: deviceIdOf(sodium, key), name, role, publicKey, created: new Date().toISOString() };
      const next = [...devices, device];
      await save(next);
      devices = next;
      return { ...device };
    },
    async revoke(name) {
      const target = devices.find((device) => device.name === name && !device.revoked);
      if (!target) {
        const known = devices.filter((device) => !device.revoked).map((device) => device.name);
        throw new OpenmatesError('usage', `No device named "${name}" is active.`, known.length > 0 ? `Active devices: ${known.join(', ')}.` : 'There are no active devices (openmates remote-access devices lists them).');
      }
      const revoked = { ...target, revoked: new Date().toISOString() };
      const next = devices.map((device) => (device === target ? revoked : device));
      await save(next);
      devices = next;
      return { ...revoked };
    },
  };
}

function checkNewName(devices: DeviceRecord[], name: string): void {
  if (!NAME.test(name)) {
    throw new OpenmatesError('usage', `"${name}" is not a usable device name.`, 'Use 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit (e.g. "phone" or "ci-bot").');
  }
  if (devices.some((device) => device.name === name && !device.revoked)) {
    throw new OpenmatesError('usage', `A device named "${name}" exists already.`, `Pick another name, or revoke it first: openmates remote-access devices revoke "${name}".`);
  }
}

async function readDevices(path: string): Promise<DeviceRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new OpenmatesError('invalid-config', `The device list ${path} cannot be read: ${messageOf(error)}.`, 'Check its permissions (it should belong to you, mode 0600).');
  }
  // The file holds names and public keys only, so what it parsed to may be remembered (parse-memo.ts).
  const devices = await memoizedParse('devices', text, async () => {
    const { devicesFileSchema } = await import('./devices-file.js');
    let parsed;
    try {
      parsed = devicesFileSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) throw new OpenmatesError('invalid-config', `The device list ${path} is damaged.`, 'Restore it from a backup, or move it away and add the devices again.');
    return parsed.data.devices;
  });
  return devices;
}
