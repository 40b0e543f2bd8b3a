import * as z from 'zod';
import { fromBase64Url, toBase64Url, type Sodium } from '../sodium.js';

/**
 * How an agent proves to the relay that it holds the X25519 key behind its id, without the relay
 * learning anything it could use: the relay sends a fresh ephemeral public key and nonce; the agent
 * answers with BLAKE2b-256 over (nonce ‖ agent public key), keyed by X25519(agent secret, relay
 * ephemeral). Only the holder of the agent's secret (or of the relay's ephemeral secret) can compute it.
 */
export const challengeSchema = z.object({ type: z.literal('challenge'), relayEphemeral: z.string(), nonce: z.string() });
export const proofSchema = z.object({ type: z.literal('prove'), agentId: z.string(), mac: z.string() });
export const acceptedSchema = z.object({ type: z.literal('accepted'), publicUrl: z.string() });
export type Challenge = z.infer<typeof challengeSchema>;
export type Proof = z.infer<typeof proofSchema>;

const NONCE_BYTES = 32;
const MAC_BYTES = 32;

export interface IssuedChallenge {
  message: Challenge;
  /** Checks the agent's answer; the agent id when it holds the key, else undefined. */
  verify(proof: Proof): string | undefined;
}

function proofMac(sodium: Sodium, shared: Uint8Array, nonce: Uint8Array, agentPublic: Uint8Array): Uint8Array {
  const input = new Uint8Array(NONCE_BYTES + agentPublic.length);
  input.set(nonce);
  input.set(agentPublic, NONCE_BYTES);
  return sodium.crypto_generichash(MAC_BYTES, input, shared);
}

/** The relay's side. */
export function issueChallenge(sodium: Sodium): IssuedChallenge {
  const ephemeral = sodium.crypto_kx_keypair();
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  return {
    message: { type: 'challenge', relayEphemeral: toBase64Url(sodium, ephemeral.publicKey), nonce: toBase64Url(sodium, nonce) },
    verify(proof) {
      const agentPublic = fromBase64Url(sodium, proof.agentId, 32);
      const mac = fromBase64Url(sodium, proof.mac, MAC_BYTES);
      if (!agentPublic || !mac) return undefined;
      let shared: Uint8Array;
      try {
        shared = sodium.crypto_scalarmult(ephemeral.privateKey, agentPublic);
      } catch {
        return undefined; // a low-order point
      }
      const expected = proofMac(sodium, shared, nonce, agentPublic);
      sodium.memzero(shared);
      return sodium.memcmp(expected, mac) ? proof.agentId : undefined;
    },
  };
}

/** The agent's side; undefined for a malformed challenge. */
export function answerChallenge(sodium: Sodium, challenge: Challenge, identity: { publicKey: Uint8Array; secretKey: Uint8Array }): Proof | undefined {
  const relayEphemeral = fromBase64Url(sodium, challenge.relayEphemeral, 32);
  const nonce = fromBase64Url(sodium, challenge.nonce, NONCE_BYTES);
  if (!relayEphemeral || !nonce) return undefined;
  let shared: Uint8Array;
  try {
    shared = sodium.crypto_scalarmult(identity.secretKey, relayEphemeral);
  } catch {
    return undefined;
  }
  const mac = proofMac(sodium, shared, nonce, identity.publicKey);
  sodium.memzero(shared);
  return { type: 'prove', agentId: toBase64Url(sodium, identity.publicKey), mac: toBase64Url(sodium, mac) };
}
