import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../../../src/remote/agent/relay-link/backoff.js';
import { answerChallenge, issueChallenge } from '../../../../src/remote/relay/agent-proof.js';
import { decodeMux, encodeMux, type MuxFrame } from '../../../../src/remote/relay/mux-frames.js';
import { createAgentIdentity } from '../../../../src/remote/channel/identity.js';
import { loadSodium } from '../../../../src/remote/sodium.js';

describe('relay mux frames', () => {
  it.each<MuxFrame>([
    { type: 'open', client: 1 },
    { type: 'text', client: 0xffffffff, bytes: new TextEncoder().encode('{"type":"hello"} é') },
    { type: 'binary', client: 7, bytes: Uint8Array.of(0, 1, 2, 255) },
    { type: 'close', client: 9, code: 4404, reason: 'agent offline' },
    { type: 'credit', client: 3, bytes: 65536 },
  ])('round-trips %o', (frame) => {
    const decoded = decodeMux(encodeMux(frame));
    expect(decoded).toEqual(frame);
  });

  it('lays out a binary frame as type, uint32 BE client id, payload', () => {
    expect([...encodeMux({ type: 'binary', client: 0x01020304, bytes: Uint8Array.of(9) })]).toEqual([0x03, 1, 2, 3, 4, 9]);
    expect([...encodeMux({ type: 'close', client: 1, code: 1000, reason: 'x' })]).toEqual([0x04, 0, 0, 0, 1, 0x03, 0xe8, 0x78]);
  });

  it.each([
    ['too short', Uint8Array.of(1, 0, 0)],
    ['unknown type', Uint8Array.of(0x7f, 0, 0, 0, 1)],
    ['open with a payload', Uint8Array.of(1, 0, 0, 0, 1, 5)],
    ['credit of 3 bytes', Uint8Array.of(5, 0, 0, 0, 1, 0, 0, 1)],
    ['close without a code', Uint8Array.of(4, 0, 0, 0, 1, 3)],
    ['close with a reason that is not UTF-8', Uint8Array.of(4, 0, 0, 0, 1, 3, 0xe8, 0xff)],
  ])('refuses %s', (_, bytes) => {
    expect(decodeMux(bytes)).toBeUndefined();
  });
});

describe('agent key proof', () => {
  it('accepts the holder of the key and names its id', async () => {
    const sodium = await loadSodium();
    const identity = await createAgentIdentity();
    const challenge = issueChallenge(sodium);
    const proof = answerChallenge(sodium, challenge.message, identity)!;
    expect(challenge.verify(proof)).toBe(sodium.to_base64(identity.publicKey, sodium.base64_variants.URLSAFE_NO_PADDING));
  });

  it('refuses another key claiming the id, and a proof replayed against a new challenge', async () => {
    const sodium = await loadSodium();
    const owner = await createAgentIdentity();
    const impostor = await createAgentIdentity();
    const challenge = issueChallenge(sodium);
    const forged = answerChallenge(sodium, challenge.message, { publicKey: owner.publicKey, secretKey: impostor.secretKey })!;
    expect(challenge.verify(forged)).toBeUndefined();
    const genuine = answerChallenge(sodium, challenge.message, owner)!;
    expect(issueChallenge(sodium).verify(genuine)).toBeUndefined();
    expect(challenge.verify({ ...genuine, mac: 'not base64url!' })).toBeUndefined();
  });
});

describe('reconnect backoff', () => {
  it('doubles, stays within [ceiling/2, ceiling] and is capped', () => {
    const policy = { baseMs: 500, capMs: 30_000 };
    expect(reconnectDelayMs(0, policy, () => 0)).toBe(250);
    expect(reconnectDelayMs(0, policy, () => 1)).toBe(500);
    expect(reconnectDelayMs(3, policy, () => 0.5)).toBe(3000);
    expect(reconnectDelayMs(20, policy, () => 1)).toBe(30_000);
    expect(reconnectDelayMs(1000, policy, () => 0)).toBe(15_000);
    const spread = new Set(Array.from({ length: 20 }, () => reconnectDelayMs(4, policy)));
    expect(spread.size).toBeGreaterThan(1);
  });
});
