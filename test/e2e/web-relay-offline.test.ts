import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

declare const navigator: { serviceWorker: { ready: Promise<{ active: { state: string } | null }> } };

/**
 * The page the relay serves, reloaded while the relay is down: its service worker answers the
 * page's files, and the page shows the server's name and last snapshot with its age.
 */
describe('the page through a relay, reloaded while the relay is down', () => {
  let relay: RelayProcess;
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let link: string;

  beforeAll(async () => {
    relay = await startRelayProcess();
    agent = await startAgentProcess({ safetyMode: 'on', relay: relay.url, args: ['--path', '/nonexistent/openmates-install', '--name', 'relay-box-3'] });
    link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    phone = await openPhoneBrowser('web-relay-offline');
  }, 120_000);
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
    await relay?.stop();
  });

  it('opens connected through the relay with the server named, and its service worker takes over', async () => {
    expect(link.startsWith(relay.url)).toBe(true);
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    expect(await waitForText(phone.page, '#header .server-name', /relay-box-3/)).toBe('relay-box-3');
    await waitForText(phone.page, '#host', /CPU/);
    const worker = await phone.page.evaluate(() =>
      Promise.race([navigator.serviceWorker.ready.then((registration) => registration.active?.state), new Promise((resolve) => setTimeout(() => resolve('no service worker after 10 s'), 10_000))]),
    );
    expect(worker).toBe('activated');
    await phone.screenshot('connected');
  });

  it('the relay gone, a reload still opens the page: the snapshot with its age, the name in the header', async () => {
    await relay.stop();
    expect(await fetch(relay.url).catch((error: Error) => error.message)).toBe('fetch failed');
    await phone.page.reload();
    await waitForText(phone.page, '#state', /Not connected/);
    expect(await waitForText(phone.page, '#snapshot-age', /Offline: what the server showed \d+ (s|min) ago/)).toBeTruthy();
    expect(await waitForText(phone.page, '#host', /CPU/)).toMatch(/CPU\d+ cores/);
    expect(await waitForText(phone.page, '#header .server-name', /relay-box-3/)).toBe('relay-box-3');
    await phone.screenshot('reloaded-offline');
  });
});
