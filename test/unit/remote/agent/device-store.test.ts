import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentIdOf, devicePublicKeyOf } from '../../../../src/remote/channel/identity.js';
import { openDeviceStore } from '../../../../src/remote/agent/device-store.js';
import { loadOrCreateIdentity, readIdentity } from '../../../../src/remote/agent/identity-store.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'devices-')), 'remote');
});
afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

describe('device store', () => {
  it('stores the public key only, never the seed, in a 0600 file', async () => {
    const store = await openDeviceStore(dir);
    const { device, seed } = await store.add('phone', 'approver');
    const text = await readFile(join(dir, 'devices.json'), 'utf8');
    expect(text).not.toContain(seed);
    expect(device.publicKey).toBe(await devicePublicKeyOf(seed));
    expect((await stat(join(dir, 'devices.json'))).mode & 0o777).toBe(0o600);
    const reopened = await openDeviceStore(dir);
    expect(reopened.find(device.id)).toMatchObject({ name: 'phone', role: 'approver' });
  });

  it('keeps --raw-secrets on an approver, refuses it for an operator, and reads files from before the flag', async () => {
    const store = await openDeviceStore(dir);
    const { device } = await store.add('phone', 'approver', { rawSecrets: true });
    expect((await openDeviceStore(dir)).find(device.id)).toMatchObject({ role: 'approver', rawSecrets: true });
    await expect(store.add('bot', 'operator', { rawSecrets: true })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('approver devices only') });
    expect(store.list().map((known) => known.name)).toEqual(['phone']);
    const old = await store.add('old', 'operator');
    expect(old.device).not.toHaveProperty('rawSecrets');
  });

  it('refuses a second active device of the same name and a bad name', async () => {
    const store = await openDeviceStore(dir);
    await store.add('ci', 'operator');
    await expect(store.add('ci', 'operator')).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('exists already') });
    await expect(store.add('../x', 'operator')).rejects.toMatchObject({ kind: 'usage' });
  });

  it('revokes by name, keeps the record, and lets the name be used again', async () => {
    const store = await openDeviceStore(dir);
    const { device } = await store.add('laptop', 'operator');
    const revoked = await store.revoke('laptop');
    expect(revoked.revoked).toBeTruthy();
    expect((await openDeviceStore(dir)).find(device.id)?.revoked).toBeTruthy();
    await expect(store.revoke('laptop')).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('No device named') });
    await store.add('laptop', 'operator');
    expect(store.list().filter((entry) => entry.name === 'laptop')).toHaveLength(2);
  });

  it('a damaged file is invalid-config naming it', async () => {
    await (await openDeviceStore(dir)).add('a', 'operator');
    await writeFile(join(dir, 'devices.json'), '{nope');
    await expect(openDeviceStore(dir)).rejects.toMatchObject({ kind: 'invalid-config', message: expect.stringContaining('devices.json') });
  });
});

describe('agent identity', () => {
  it('is generated once and kept', async () => {
    const first = await loadOrCreateIdentity(dir);
    const second = await loadOrCreateIdentity(dir);
    expect(second.agentId).toBe(first.agentId);
    expect(first.agentId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(join(dir, 'identity.json'))).mode & 0o777).toBe(0o600);
  });

  it('reads back the same keys, and its id is agentIdOf of them', async () => {
    const created = await loadOrCreateIdentity(dir);
    const read = await readIdentity(dir);
    expect(read?.identity.publicKey).toEqual(created.identity.publicKey);
    expect(read?.identity.secretKey).toEqual(created.identity.secretKey);
    expect(read?.agentId).toBe(await agentIdOf(created.identity));
  });

  it('a damaged key file is invalid-config naming it: not JSON, a field missing, a key too short, a key not in canonical form', async () => {
    await loadOrCreateIdentity(dir);
    const file = JSON.parse(await readFile(join(dir, 'identity.json'), 'utf8')) as Record<string, string>;
    // 32 bytes leave 2 unused bits in the last of 43 characters: setting one decodes to the same bytes in a form no encoder writes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const nonCanonical = file.publicKey!.slice(0, -1) + alphabet[alphabet.indexOf(file.publicKey!.at(-1)!) ^ 1];
    for (const text of ['{nope', JSON.stringify({ ...file, secretKey: undefined }), JSON.stringify({ ...file, publicKey: file.publicKey!.slice(0, 40) }), JSON.stringify({ ...file, publicKey: nonCanonical })]) {
      await writeFile(join(dir, 'identity.json'), text);
      await expect(readIdentity(dir), text.slice(0, 30)).rejects.toMatchObject({ kind: 'invalid-config', message: expect.stringContaining('identity.json') });
    }
  });
});
