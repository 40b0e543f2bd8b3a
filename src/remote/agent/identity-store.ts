import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { agentIdOf, createAgentIdentity, type AgentIdentity } from '../channel/identity.js';
import { loadSodium, toBase64Url } from '../sodium.js';
import { STATE_FILES, ensurePrivateDir, writePrivateFile } from './state-dir.js';

interface IdentityFile {
  version: 1;
  publicKey: string;
  secretKey: string;
  created: string;
}

function isIdentityFile(value: unknown): value is IdentityFile {
  const file = value as Partial<IdentityFile> | null;
  return typeof file === 'object' && file !== null && file.version === 1 && typeof file.publicKey === 'string' && typeof file.secretKey === 'string' && typeof file.created === 'string';
}

/**
 * A 32-byte key from its unpadded base64url text, decoded by Node instead of libsodium: status
 * reads this file with the agent stopped, and loading libsodium's WebAssembly for it cost more
 * than the rest of the command. Only the canonical text of 32 bytes is accepted, as libsodium does.
 */
function keyFromText(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === 32 && bytes.toString('base64url') === text ? new Uint8Array(bytes) : undefined;
}

export interface StoredIdentity {
  identity: AgentIdentity;
  agentId: string;
}

/** The agent's X25519 key pair, generated on first use and kept in identity.json (0600). */
export async function loadOrCreateIdentity(stateDir: string): Promise<StoredIdentity> {
  const existing = await readIdentity(stateDir);
  if (existing) return existing;
  await ensurePrivateDir(stateDir);
  const sodium = await loadSodium();
  const identity = await createAgentIdentity();
  const file = { version: 1, publicKey: toBase64Url(sodium, identity.publicKey), secretKey: toBase64Url(sodium, identity.secretKey), created: new Date().toISOString() };
  await writePrivateFile(join(stateDir, STATE_FILES.identity), `${JSON.stringify(file, null, 2)}\n`);
  return { identity, agentId: await agentIdOf(identity) };
}

/** undefined when the agent has never run; OpenmatesError('invalid-config') for a damaged file. */
export async function readIdentity(stateDir: string): Promise<StoredIdentity | undefined> {
  const path = join(stateDir, STATE_FILES.identity);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('invalid-config', `The agent's key file ${path} cannot be read: ${messageOf(error)}.`, 'Check its permissions (it should belong to you, mode 0600).');
  }
  const damaged = () =>
    new OpenmatesError('invalid-config', `The agent's key file ${path} is damaged.`, `Move it away to make a new key pair; every device then needs a new link (openmates remote-access devices add).`);
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    throw damaged();
  }
  if (!isIdentityFile(file)) throw damaged();
  const publicKey = keyFromText(file.publicKey);
  const secretKey = keyFromText(file.secretKey);
  if (!publicKey || !secretKey) throw damaged();
  // The agent's id is its public key in base64url (agentIdOf), which is what the file holds.
  return { identity: { publicKey, secretKey }, agentId: file.publicKey };
}
