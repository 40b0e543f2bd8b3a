import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLink } from '../../src/remote/link.js';
import { freePort } from './harness/index.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { startTapProxy, type TapProxy } from './tap-proxy.js';
import { appendInEditor, openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

/**
 * Issue 12's story as far as it goes: `openmates relay` on one side, `remote-access start --relay`
 * on the other (two processes on 127.0.0.1), a phone opening the device link the QR code carries
 * (the relay's address), working with the server from the page the relay serves, approving on
 * the page, while the relay's traffic (every byte through a tapping proxy) holds no plaintext.
 */
describe('the web page through a relay: the phone works with the server, the relay sees only ciphertext', () => {
  let tap: TapProxy;
  let relay: RelayProcess;
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let link: string;
  const content = 'database: primary\nreplicas: 2\n';
  const edited = `${content}# checked from the phone\n`;

  beforeAll(async () => {
    const relayPort = await freePort();
    tap = await startTapProxy(relayPort);
    relay = await startRelayProcess({ port: relayPort, args: ['--public-url', tap.url] });
    agent = await startAgentProcess({ safetyMode: 'on', relay: tap.url, args: ['--path', '/nonexistent/openmates-install'] });
    await writeFile(join(agent.root, 'cluster.yml'), content);
    link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    phone = await openPhoneBrowser('web-relay');
  }, 120_000);
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
    await relay?.stop();
    await tap?.close();
  });

  it("the link is the relay's address; the relay serves the page with its security headers", async () => {
    expect(link.startsWith(tap.url)).toBe(true);
    const answer = await fetch(tap.url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await answer.text()).toContain('app.js');
  });

  it('the page opens connected through the relay, reads a file, and an edit approved on the page lands on disk', async () => {
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    await waitForText(phone.page, '#host', /CPU/);
    await phone.screenshot('connected-through-relay');
    await phone.page.click('#tab-files');
    await phone.page.waitForSelector('button[data-name="cluster.yml"]');
    await phone.page.click('button[data-name="cluster.yml"]');
    expect(await waitForText(phone.page, '#file-text', /database/)).toBe(content);

    await appendInEditor(phone.page, '# checked from the phone\n');
    await phone.page.click('#save');
    const id = /waiting for approval (\w+)/.exec(await waitForText(phone.page, '#save-status', /waiting for approval \w+/))![1]!;
    await phone.page.click('#tab-approvals');
    const card = `[data-approval="${id}"]`;
    await phone.page.waitForSelector(`${card}[data-state="pending"]`);
    await phone.page.click(`${card} [data-decide="approve"]`);
    await phone.page.waitForSelector(`${card}[data-state="approved"]`);
    await waitForText(phone.page, '#notice', /Saved .*cluster\.yml/);
    expect(await readFile(join(agent.root, 'cluster.yml'))).toEqual(Buffer.from(edited));
    await phone.screenshot('approved-through-relay');
  });

  it("the relay's traffic holds neither the file's content, the edit, nor the device key", () => {
    const seen = tap.bytes();
    const { agentId, deviceSeed } = parseLink(link);
    expect(seen.includes(Buffer.from(`/v1/connect/${agentId}`)), 'the capture sees the connections (a positive control)').toBe(true);
    for (const secret of ['database: primary', '# checked from the phone', deviceSeed]) expect(seen.includes(Buffer.from(secret)), secret).toBe(false);
  });
});
