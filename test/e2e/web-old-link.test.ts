import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceKeys } from '../../src/remote/channel/identity.js';
import { formatLink, parseLink } from '../../src/remote/link.js';
import { connect } from '../../src/remote/sdk/index.js';
import { loadSodium, toBase64Url } from '../../src/remote/sodium.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

declare const location: { hash: string };

/**
 * A device added by an openmates from before short links: a random device id, which only its long
 * link (#v=1&a=&d=&k=) carries. Its link must keep working in the page and the SDK.
 */
describe('a long link of a device from before short links, in the page and the SDK', () => {
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let link: string;
  beforeAll(async () => {
    const old = await createDeviceKeys();
    const sodium = await loadSodium();
    const id = toBase64Url(sodium, sodium.randombytes_buf(16));
    agent = await startAgentProcess({
      safetyMode: 'off',
      args: ['--path', '/nonexistent/openmates-install'],
      // devices.json as an older openmates wrote it: the device's id is not derived from its key.
      prepare: async (home) => {
        const stateDir = join(home, 'state', 'openmates', 'remote');
        await mkdir(stateDir, { recursive: true, mode: 0o700 });
        const device = { id, name: 'old-phone', role: 'approver', publicKey: old.publicKey, created: '2026-01-01T00:00:00.000Z' };
        await writeFile(join(stateDir, 'devices.json'), `${JSON.stringify({ version: 1, devices: [device] })}\n`, { mode: 0o600 });
      },
    });
    const status = JSON.parse((await agent.cli(['remote-access', 'status', '--json'])).stdout) as { url: string; agentId: string };
    link = formatLink({ url: status.url, agentId: status.agentId, deviceId: id, deviceSeed: old.seed });
    phone = await openPhoneBrowser('web-old-link');
  });
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
  });

  it('the SDK connects with it as that device', async () => {
    expect(link).toMatch(/#v=1&a=[\w-]{43}&d=[\w-]{22}&k=[\w-]{43}$/);
    const server = await connect(link);
    expect(server.device).toEqual({ id: parseLink(link).deviceId, name: 'old-phone', role: 'approver' });
    server.close();
  });

  it('the page opens it connected, drops the fragment, and reopens connected from IndexedDB without it', async () => {
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as old-phone \(approver\)/);
    expect(await phone.page.evaluate(() => location.hash)).toBe('');
    await phone.page.goto(link.split('#')[0]!);
    await waitForText(phone.page, '#state', /Connected as old-phone \(approver\)/);
    await waitForText(phone.page, '#host', /CPU/);
    await phone.screenshot('reopened');
  });
});
