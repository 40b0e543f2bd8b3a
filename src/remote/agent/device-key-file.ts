import { readFile, stat } from 'node:fs/promises';
import * as z from 'zod';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { devicePublicKeyOf } from '../channel/identity.js';
import { deviceRoleSchema, type DeviceRole } from '../protocol/handshake-messages.js';

/**
 * The device key file of an unattended start (`remote-access start --device-key-file FILE`), made
 * by whoever creates the machine (an e2b sandbox, a CI runner), mode 0600:
 *
 *   {"name": "e2b", "role": "operator", "key": "<base64url of a 32-byte Ed25519 seed>"}
 *
 * role is "operator" (the default) or "approver". The maker keeps the seed and builds the link
 * itself from the ready line (formatLink); the agent keeps only the public key, like any device.
 * The file is read once at start and may be deleted as soon as the ready line is out.
 */
export interface DeviceKeyFile {
  name: string;
  role: DeviceRole;
  /** base64url Ed25519 public key of the seed in the file. */
  publicKey: string;
}

const keyFileSchema = z.strictObject({ name: z.string(), role: deviceRoleSchema.default('operator'), key: z.string() });

const FORMAT = 'Write it as JSON: {"name":"e2b","role":"operator","key":"<base64url Ed25519 seed, 43 characters>"}, mode 0600.';

export async function readDeviceKeyFile(path: string): Promise<DeviceKeyFile> {
  let text: string;
  try {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0) {
      throw new OpenmatesError('usage', `The device key file ${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}).`, `It holds a device's secret key: chmod 600 ${path}, then start again.`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof OpenmatesError) throw error;
    throw new OpenmatesError('usage', `Cannot read the device key file ${path}: ${messageOf(error)}.`, 'Pass the file that the machine\'s maker wrote (--device-key-file FILE).');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OpenmatesError('usage', `The device key file ${path} is not JSON.`, FORMAT); // never echo its content: it is a secret
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => (issue.path.length > 0 ? issue.path.join('.') : 'the whole file')))].join(', ');
    throw new OpenmatesError('usage', `The device key file ${path} has a bad or missing field: ${fields}.`, FORMAT);
  }
  const publicKey = await devicePublicKeyOf(parsed.data.key);
  if (!publicKey) throw new OpenmatesError('usage', `The device key file ${path} has a malformed key: it must be 32 bytes as unpadded base64url (43 characters).`, FORMAT);
  return { name: parsed.data.name, role: parsed.data.role, publicKey };
}
