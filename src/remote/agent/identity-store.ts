import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { agentIdOf, createAgentIdentity, type AgentIdentity } from '../channel/identity.js';
import { fromBase64Url, loadSodium, toBase64Url } from '../sodium.js';
import { STATE_FILES, ensurePrivateDir, writePrivateFile } from './state-dir.js';

const identityFileSchema = z.object({ version: z.literal(1), publicKey: z.string(), secretKey: z.string(), created: z.string() });

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
  let parsed;
  try {
    parsed = identityFileSchema.safeParse(JSON.parse(text));
  } catch {
    throw damaged();
  }
  if (!parsed.success) throw damaged();
  const sodium = await loadSodium();
  const publicKey = fromBase64Url(sodium, parsed.data.publicKey, 32);
  const secretKey = fromBase64Url(sodium, parsed.data.secretKey, 32);
  if (!publicKey || !secretKey) throw damaged();
  const identity = { publicKey, secretKey };
  return { identity, agentId: await agentIdOf(identity) };
}
