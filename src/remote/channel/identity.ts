import { fromBase64Url, loadSodium, toBase64Url } from '../sodium.js';

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
  return { id: toBase64Url(sodium, sodium.randombytes_buf(16)), seed: toBase64Url(sodium, seed), publicKey: toBase64Url(sodium, pair.publicKey) };
}

/** The Ed25519 public key behind a device seed (undefined for a malformed seed). */
export async function devicePublicKeyOf(seed: string): Promise<string | undefined> {
  const sodium = await loadSodium();
  const bytes = fromBase64Url(sodium, seed, 32);
  return bytes && toBase64Url(sodium, sodium.crypto_sign_seed_keypair(bytes).publicKey);
}
