import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenmatesError } from '../../../src/core/errors.js';
import { openDeviceStore } from '../../../src/remote/agent/device-store.js';
import { createDeviceKeys, deviceIdOf } from '../../../src/remote/channel/identity.js';
import { fromBase32, toBase32 } from '../../../src/remote/link-encoding.js';
import { formatLink, parseLink } from '../../../src/remote/link.js';
import { connect } from '../../../src/remote/sdk/index.js';
import { fromBase64Url, loadSodium, toBase64Url } from '../../../src/remote/sodium.js';
import { startTestAgent, type TestAgent } from './test-agent.js';

const agentId = 'A'.repeat(42) + 'Q';
const deviceSeed = 'k_-' + 'x'.repeat(39) + 'A';

let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function usageError(text: string): OpenmatesError {
  try {
    parseLink(text);
  } catch (error) {
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('usage');
    return error as OpenmatesError;
  }
  throw new Error(`parseLink accepted ${text}`);
}

describe('base32 (RFC 4648 §6, unpadded)', () => {
  it.each([['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']])('%j is %s and back', (plain, encoded) => {
    const bytes = new TextEncoder().encode(plain);
    expect(toBase32(bytes)).toBe(encoded);
    expect(fromBase32(encoded)).toEqual(bytes);
    expect(fromBase32(encoded.toLowerCase())).toEqual(bytes);
  });

  it.each([['a character outside the alphabet', 'MZXW1'], ['a cut character', 'MZXW6Y'], ['padding bits that are not zero', 'MZ']])('refuses %s', (_what, text) => {
    expect(fromBase32(text)).toBeUndefined();
  });
});

describe('the short device link', () => {
  it('carries the version, the agent id and the seed in 104 base32 characters, and parses back without a device id', () => {
    const text = formatLink({ url: 'http://127.0.0.1:7420/', agentId, deviceSeed });
    expect(text).toMatch(/^http:\/\/127\.0\.0\.1:7420\/#[A-Z2-7]{104}$/);
    expect(text.length).toBe(127);
    expect(parseLink(`  ${text}\n`)).toEqual({ url: 'http://127.0.0.1:7420/', agentId, deviceSeed });
    // A scanner or a person may lower the case; the fragment reads the same.
    const [base, fragment] = text.split('#');
    expect(parseLink(`${base}#${fragment!.toLowerCase()}`)).toEqual({ url: 'http://127.0.0.1:7420/', agentId, deviceSeed });
    expect(parseLink(formatLink({ url: 'https://relay.example/', agentId, deviceSeed })).url).toBe('https://relay.example/');
    // Copied off a screen that wrapped it (the full-screen app draws it in rows): the pieces join up.
    expect(parseLink(`${text.slice(0, 80)}\n${text.slice(80)}`)).toEqual({ url: 'http://127.0.0.1:7420/', agentId, deviceSeed });
  });

  it('is shorter than the long link and still leaves the long one to devices with a random id', () => {
    const long = formatLink({ url: 'http://127.0.0.1:7420/', agentId, deviceId: 'b'.repeat(22), deviceSeed });
    const short = formatLink({ url: 'http://127.0.0.1:7420/', agentId, deviceSeed });
    expect(long).toContain('&d=bbbbbbbbbbbbbbbbbbbbbb&');
    expect(short.length).toBeLessThan(long.length);
    expect(parseLink(long).deviceId).toBe('b'.repeat(22));
  });

  it.each([
    ['a cut link', (fragment: string) => fragment.slice(0, 100), /not 104 base32 characters/],
    ['a character outside base32', (fragment: string) => `${fragment.slice(0, 103)}1`, /not 104 base32 characters/],
    ['another version', (fragment: string) => `AI${fragment.slice(2)}`, /version 2; this openmates speaks version 1/],
  ])('refuses %s with a usage error that names the part and never the key', (_name, change, pattern) => {
    const [base, fragment] = formatLink({ url: 'http://h/', agentId, deviceSeed }).split('#');
    const error = usageError(`${base}#${change(fragment!)}`);
    expect(error.message).toMatch(pattern);
    expect(error.hint).toBeTruthy();
    expect(`${error.message} ${error.hint}`).not.toContain(fragment!.slice(60));
  });
});

describe('device ids derived from the device key', () => {
  it('a new device (devices add, or a key made elsewhere) gets the id its public key gives', async () => {
    const sodium = await loadSodium();
    const stateDir = await mkdtemp(join(tmpdir(), 'omt-short-link-'));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    const store = await openDeviceStore(stateDir);
    const { device, seed } = await store.add('phone', 'approver');
    const publicKey = sodium.crypto_sign_seed_keypair(fromBase64Url(sodium, seed, 32)!).publicKey;
    expect(device.id).toBe(deviceIdOf(sodium, publicKey));
    const other = sodium.crypto_sign_seed_keypair(sodium.randombytes_buf(32)).publicKey;
    const adopted = await store.adopt('ci', 'operator', toBase64Url(sodium, other));
    expect(adopted.id).toBe(deviceIdOf(sodium, other));
    expect(adopted.id).not.toBe(device.id);
    await expect(store.adopt('bad', 'operator', 'not-a-key')).rejects.toThrow(/not a 32-byte Ed25519 public key/);
  });

  it('the SDK connects with a short link (the id derived from the seed) and with an old device\'s long link', async () => {
    const agent: TestAgent = await startTestAgent();
    cleanups.push(() => agent.close());
    const url = agent.url.replace('ws:', 'http:');
    const fresh = await agent.addDevice('phone', 'approver');
    const shortServer = await connect(formatLink({ url, agentId: agent.agentId, deviceSeed: fresh.seed }));
    cleanups.push(() => shortServer.close());
    expect(shortServer.device).toEqual({ id: fresh.id, name: 'phone', role: 'approver' });

    // A device from before: a random id that only its long link carries.
    const sodium = await loadSodium();
    const old = await createDeviceKeys();
    const randomId = toBase64Url(sodium, sodium.randombytes_buf(16));
    agent.devices.set(randomId, { publicKey: old.publicKey, name: 'laptop', role: 'operator' });
    const longServer = await connect(formatLink({ url, agentId: agent.agentId, deviceId: randomId, deviceSeed: old.seed }));
    cleanups.push(() => longServer.close());
    expect(longServer.device).toEqual({ id: randomId, name: 'laptop', role: 'operator' });
    // Its seed in a short link names the derived id, which this agent does not know: refused, not someone else.
    await expect(connect(formatLink({ url, agentId: agent.agentId, deviceSeed: old.seed }))).rejects.toMatchObject({ code: 'device-refused' });
  });
});
