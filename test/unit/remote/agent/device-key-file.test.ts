import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeviceKeys } from '../../../../src/remote/channel/identity.js';
import { readDeviceKeyFile } from '../../../../src/remote/agent/device-key-file.js';
import { openDeviceStore } from '../../../../src/remote/agent/device-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyfile-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function keyFile(content: string, mode = 0o600): Promise<string> {
  const file = join(dir, 'device.json');
  await writeFile(file, content, { mode });
  await chmod(file, mode);
  return file;
}

describe('device key file', () => {
  it('reads name, role and the public key of the seed, never keeping the seed', async () => {
    const keys = await createDeviceKeys();
    const read = await readDeviceKeyFile(await keyFile(JSON.stringify({ name: 'e2b', role: 'approver', key: keys.seed })));
    expect(read).toEqual({ name: 'e2b', role: 'approver', publicKey: keys.publicKey });
    expect(JSON.stringify(read)).not.toContain(keys.seed);
    expect((await readDeviceKeyFile(await keyFile(JSON.stringify({ name: 'ci', key: keys.seed })))).role).toBe('operator');
  });

  it('refuses, without echoing the secret: a missing file, not JSON, a bad field, a malformed key, a file others can read', async () => {
    const keys = await createDeviceKeys();
    await expect(readDeviceKeyFile(join(dir, 'missing.json'))).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('Cannot read the device key file') });
    const notJson = readDeviceKeyFile(await keyFile(`${keys.seed} garbage`));
    await expect(notJson).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('is not JSON') });
    await expect(notJson).rejects.not.toMatchObject({ message: expect.stringContaining(keys.seed) });
    await expect(readDeviceKeyFile(await keyFile(JSON.stringify({ name: 'x', role: 'admin', key: keys.seed })))).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('role') });
    const short = readDeviceKeyFile(await keyFile(JSON.stringify({ name: 'x', key: keys.seed.slice(0, 40) })));
    await expect(short).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('malformed key') });
    await expect(readDeviceKeyFile(await keyFile(JSON.stringify({ name: 'x', key: keys.seed }), 0o644))).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('can be read by other users'), hint: expect.stringContaining('chmod 600') });
  });
});

describe('device store adopt', () => {
  it('adds the device once and reuses it by its public key; a revoked key or another role is refused', async () => {
    const store = await openDeviceStore(join(dir, 'state'));
    const keys = await createDeviceKeys();
    const first = await store.adopt('e2b', 'operator', keys.publicKey);
    expect(first).toMatchObject({ name: 'e2b', role: 'operator', publicKey: keys.publicKey });
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const again = await (await openDeviceStore(join(dir, 'state'))).adopt('e2b', 'operator', keys.publicKey);
    expect(again.id).toBe(first.id);
    expect(store.list()).toHaveLength(1);
    await expect(store.adopt('e2b', 'approver', keys.publicKey)).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('an operator, not an approver') });
    const other = await createDeviceKeys();
    await expect(store.adopt('e2b', 'operator', other.publicKey)).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('exists already') });
    await store.revoke('e2b');
    await expect(store.adopt('e2b', 'operator', keys.publicKey)).rejects.toMatchObject({ kind: 'device-refused' });
  });
});
