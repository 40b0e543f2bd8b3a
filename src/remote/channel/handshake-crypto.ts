import type { Sodium } from '../sodium.js';
import { PROTOCOL_NAME } from '../protocol/version.js';
import { concatBytes } from '../concat-bytes.js';

/**
 * The key schedule (docs/remote-protocol.md, "Handshake"):
 *   h   = BLAKE2b-256("openmates-remote" ‖ 0x00 ‖ version (1 byte) ‖ agent static pk (32) ‖ device id (16) ‖ client ephemeral pk (32) ‖ agent ephemeral pk (32))
 *   es  = X25519(client ephemeral, agent static)    ee = X25519(client ephemeral, agent ephemeral)
 *   k   = BLAKE2b-512(message = es ‖ ee, key = h);  client→agent key = k[0..32), agent→client key = k[32..64)
 *   sig = Ed25519-sign(device key, "openmates-remote device auth" ‖ 0x00 ‖ h)
 */
export interface TranscriptParts {
  version: number;
  agentStatic: Uint8Array;
  deviceId: Uint8Array;
  clientEphemeral: Uint8Array;
  agentEphemeral: Uint8Array;
}

export function transcriptHash(sodium: Sodium, parts: TranscriptParts): Uint8Array {
  const label = new TextEncoder().encode(PROTOCOL_NAME);
  const bytes = concat(label, Uint8Array.of(0, parts.version), parts.agentStatic, parts.deviceId, parts.clientEphemeral, parts.agentEphemeral);
  return sodium.crypto_generichash(32, bytes, null);
}

export interface SessionKeys {
  clientToAgent: Uint8Array;
  agentToClient: Uint8Array;
}

export function deriveSessionKeys(sodium: Sodium, hash: Uint8Array, es: Uint8Array, ee: Uint8Array): SessionKeys {
  const k = sodium.crypto_generichash(64, concat(es, ee), hash);
  return { clientToAgent: k.slice(0, 32), agentToClient: k.slice(32, 64) };
}

/** X25519; undefined when the peer's key is a low-order point (the result would be all zeros). */
export function diffieHellman(sodium: Sodium, secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array | undefined {
  try {
    const shared = sodium.crypto_scalarmult(secretKey, publicKey);
    return sodium.is_zero(shared) ? undefined : shared;
  } catch {
    return undefined;
  }
}

export function authMessage(hash: Uint8Array): Uint8Array {
  return concat(new TextEncoder().encode('openmates-remote device auth'), Uint8Array.of(0), hash);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}
