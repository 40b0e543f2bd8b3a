import { fromBase64Url, loadSodium, toBase64Url, type Sodium } from '../sodium.js';

/** The agent's long-term X25519 key pair; its id is base64url(publicKey). */
export interface AgentIdentity {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export async function createAgentIdentity(): Promise<AgentIdentity> {
  const sodium = await loadSodium();
  const pair = sodium.crypto_kx_keypair();
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

export async function agentIdOf(identity: Pick<AgentIdentity, 'publicKey'>): Promise<string> {
  return toBase64Url(await loadSodium(), identity.publicKey);
}

/** A new device: the agent stores `id` and `publicKey`; `seed` goes into the link and nowhere else. */
export interface NewDevice {
  id: string;
  /** base64url Ed25519 seed (32 bytes): the device's secret. */
  seed: string;
  /** base64url Ed25519 public key (32 bytes). */
  publicKey: string;
}

export async function createDeviceKeys(): Promise<NewDevice> {
  const sodium = await loadSodium();
  const seed = sodium.randombytes_buf(32);
  const pair = sodium.crypto_sign_seed_keypair(seed);
  return { id: deviceIdOf(sodium, pair.publicKey), seed: toBase64Url(sodium, seed), publicKey: toBase64Url(sodium, pair.publicKey) };
}

const DEVICE_ID_LABEL = new TextEncoder().encode('openmates device id v1');

/**
 * A device's id, derived from its public key (BLAKE2b, 16 bytes): a short link carries only the
 * seed, and the client derives the same id from it. Devices from before have random ids, which
 * their long links carry.
 */
export function deviceIdOf(sodium: Sodium, publicKey: Uint8Array): string {
  const input = new Uint8Array(DEVICE_ID_LABEL.length + publicKey.length);
  input.set(DEVICE_ID_LABEL);
  input.set(publicKey, DEVICE_ID_LABEL.length);
  return toBase64Url(sodium, sodium.crypto_generichash(16, input, null));
}

/** The Ed25519 public key behind a device seed (undefined for a malformed seed). */
export async function devicePublicKeyOf(seed: string): Promise<string | undefined> {
  const sodium = await loadSodium();
  const bytes = fromBase64Url(sodium, seed, 32);
  return bytes && toBase64Url(sodium, sodium.crypto_sign_seed_keypair(bytes).publicKey);
}
