import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { appendInEditor, openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

// The page's globals the functions run in the browser use (this program has Node's types, not the DOM's).
declare const document: { documentElement: { scrollWidth: number }; body: unknown };
declare function getComputedStyle(element: unknown): { backgroundColor: string };
declare const location: { hash: string };
declare const indexedDB: { open(name: string): { result: { objectStoreNames: Iterable<string> }; error: unknown; onsuccess: () => void; onerror: () => void } };

/**
 * The web page in a real browser (Debian's chromium, 390×844) against a real agent process in
 * safety mode, opened with an approver device's link as a phone would after scanning its QR code.
 */
describe('the web page on a phone: connect by link, host facts, files, edit, approve on the same page', () => {
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let link: string;
  const original = 'first line\nsecond line\n';
  const edited = `${original}third line, from the phone ✓\n`;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', '/nonexistent/openmates-install'] });
    await writeFile(join(agent.root, 'notes.txt'), original);
    link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    phone = await openPhoneBrowser('web-page');
  });
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
  });

  it('opens the device link connected, and removes the key from the address bar at once', async () => {
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#v=1&a=/);
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    expect(phone.page.url()).toBe(link.split('#')[0]);
    expect(await phone.page.evaluate(() => location.hash)).toBe('');
    await phone.screenshot('connected');
  });

  it('shows the host facts and says no stack is installed', async () => {
    const host = await waitForText(phone.page, '#host', /CPU/);
    expect(host).toMatch(/CPU\d+ cores, \d+ % used, load/);
    expect(host).toMatch(/Memory[\d.]+ [kMGT]?B used of [\d.]+ [kMGT]?B/);
    expect(host).toMatch(/Disk \/[\d.]+ [kMGT]?B free of/);
    expect(host).toContain('Containers');
    await waitForText(phone.page, '#services', /No OpenMates stack is installed at \/nonexistent\/openmates-install/);
    await phone.screenshot('host-facts');
  });

  it('every button is touch-sized (at least 44 px high and wide) and nothing is wider than the phone', async () => {
    const small = await phone.page.$$eval('button', (buttons) =>
      buttons
        .filter((button) => button.offsetParent !== null)
        .map((button) => ({ text: button.textContent, rect: button.getBoundingClientRect() }))
        .filter(({ rect }) => rect.height < 44 || rect.width < 44)
        .map(({ text, rect }) => `${text}: ${rect.width}×${rect.height}`),
    );
    expect(small).toEqual([]);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('browses the shared folder and reads a file in the viewer', async () => {
    await phone.page.click('#tab-files');
    await phone.page.waitForSelector('button[data-name="notes.txt"]');
    expect(await waitForText(phone.page, '#folder-path', /shared$/)).toBe(agent.root);
    await phone.screenshot('folder');
    await phone.page.click('button[data-name="notes.txt"]');
    expect(await waitForText(phone.page, '#file-text', /first line/)).toBe(original);
    await phone.screenshot('file-viewer');
  });

  it('edits and saves: the save waits for approval, which appears in the inbox; Approve writes the bytes', async () => {
    await appendInEditor(phone.page, 'third line, from the phone ✓\n');
    expect(await phone.page.$eval('#editor', (area) => (area as unknown as { value: string }).value)).toBe(edited);
    await phone.screenshot('editing');
    await phone.page.click('#save');
    const waiting = await waitForText(phone.page, '#save-status', /waiting for approval \w+/);
    const id = /waiting for approval (\w+)/.exec(waiting)![1]!;
    expect(await readFile(join(agent.root, 'notes.txt'), 'utf8')).toBe(original);
    await phone.screenshot('waiting-for-approval');

    await waitForText(phone.page, '#tab-approvals', /Approvals \(1\)/);
    await phone.page.click('#tab-approvals');
    const card = `[data-approval="${id}"]`;
    await phone.page.waitForSelector(`${card}[data-state="pending"]`);
    const text = await phone.page.$eval(card, (element) => element.textContent ?? '');
    expect(text).toContain('Overwrite');
    expect(text).toContain('+third line, from the phone ✓');
    expect(text).toContain('phone (approver)');
    await phone.screenshot('approval-inbox');
    await phone.page.click(`${card} [data-decide="approve"]`);
    await phone.page.waitForSelector(`${card}[data-state="approved"]`);
    await waitForText(phone.page, '#notice', /Saved .*notes\.txt/);
    expect(await readFile(join(agent.root, 'notes.txt'))).toEqual(Buffer.from(edited));
    await phone.screenshot('approved');

    await phone.page.click('#tab-files');
    expect(await waitForText(phone.page, '#file-text', /from the phone/)).toBe(edited);
  });

  it('downloads the file as read, and uploads a new one (it waits for approval too)', async () => {
    await phone.page.click('#download');
    const saved = join(phone.downloads, 'notes.txt');
    for (let tries = 0; tries < 100 && !(await readFile(saved).catch(() => undefined)); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readFile(saved)).toEqual(Buffer.from(edited));

    await phone.page.click('#viewer-back');
    const upload = await phone.page.waitForSelector('#upload');
    const local = join(agent.home, 'photo-notes.txt');
    await writeFile(local, 'uploaded from the phone\n');
    await upload!.uploadFile(local);
    const waiting = await waitForText(phone.page, '#notice', /Upload of photo-notes\.txt: waiting for approval \w+/);
    const id = /approval (\w+)$/.exec(waiting)![1]!;
    await phone.page.click('#tab-approvals');
    const card = `[data-approval="${id}"]`;
    await phone.page.waitForSelector(`${card}[data-state="pending"]`);
    expect(await phone.page.$eval(card, (element) => element.textContent ?? '')).toContain('photo-notes.txt');
    await phone.page.click(`${card} [data-decide="approve"]`);
    await waitForText(phone.page, '#notice', /Uploaded .*photo-notes\.txt/);
    expect(await readFile(join(agent.root, 'photo-notes.txt'), 'utf8')).toBe('uploaded from the phone\n');
    await phone.page.click('#tab-files');
    await phone.page.waitForSelector('button[data-name="photo-notes.txt"]');
    await phone.screenshot('uploaded');
  });

  it('reloaded without the fragment, the page opens connected again (the key is in IndexedDB)', async () => {
    await phone.page.goto(link.split('#')[0]!);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    await waitForText(phone.page, '#host', /CPU/);
    await phone.screenshot('reopened');
    const stored = await phone.page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const request = indexedDB.open('openmates');
          request.onsuccess = () => resolve([...request.result.objectStoreNames]);
          request.onerror = () => reject(request.error);
        }),
    );
    expect(stored).toEqual(['device']);
    // The page's own log and errors: no CSP violation, no exception.
    expect(phone.errors).toEqual([]);
  });

  it('the server gone, the page says so, keeps trying on its own, and shows the last snapshot of the dashboard with its age', async () => {
    // In direct mode the agent serves the page too: the page stays open while the agent is away.
    await agent.stop();
    await waitForText(phone.page, '#state', /Reconnecting/);
    expect(await waitForText(phone.page, '#snapshot-age', /Offline: the connection dropped .*trying again.* Showing what the server showed \d+ (s|min) ago/)).toBeTruthy();
    expect(await waitForText(phone.page, '#host', /CPU/)).toMatch(/CPU\d+ cores/);
    expect(await waitForText(phone.page, '#services', /Services/)).toContain('No OpenMates stack is installed at /nonexistent/openmates-install');
    expect(await phone.page.$('#reconnect')).toBeNull();
    await phone.screenshot('offline-snapshot');
  });

  it('respects prefers-color-scheme: dark colours for a dark phone', async () => {
    const background = () => phone.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await phone.page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const light = await background();
    await phone.page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await background();
    expect(light).toBe('rgb(246, 247, 249)');
    expect(dark).toBe('rgb(17, 19, 24)');
    await phone.screenshot('dark');
  });
});
