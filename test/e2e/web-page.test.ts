import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { appendInEditor, openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

// The page's globals the functions run in the browser use (this program has Node's types, not the DOM's).
declare const document: { documentElement: { scrollWidth: number }; body: unknown };
declare function getComputedStyle(element: unknown): { backgroundColor: string };
declare const location: { hash: string };
declare const navigator: { serviceWorker: { ready: Promise<{ active: { state: string } | null }>; controller: unknown } };
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

  /** The visible buttons smaller than a finger (44 px either way). */
  const smallButtons = () =>
    phone.page.$$eval('button', (buttons) =>
      buttons
        .filter((button) => button.offsetParent !== null)
        .map((button) => ({ text: button.textContent, rect: button.getBoundingClientRect() }))
        .filter(({ rect }) => rect.height < 44 || rect.width < 44)
        .map(({ text, rect }) => `${text}: ${rect.width}×${rect.height}`),
    );

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', '/nonexistent/openmates-install', '--name', 'lab-box-7'] });
    await writeFile(join(agent.root, 'notes.txt'), original);
    link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    phone = await openPhoneBrowser('web-page');
  });
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
  });

  it('opens the device link connected, and removes the key from the address bar at once', async () => {
    // The short link devices add prints (its device id derived from the key): base32 after the #.
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#[A-Z2-7]{104}$/);
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    expect(phone.page.url()).toBe(link.split('#')[0]);
    expect(await phone.page.evaluate(() => location.hash)).toBe('');
    // The header names the server as the agent calls itself (agent.info), not by its address.
    expect(await waitForText(phone.page, '#header .server-name', /lab-box-7/)).toBe('lab-box-7');
    expect(await phone.page.title()).toBe('lab-box-7 · OpenMates server');
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
    expect(await smallButtons()).toEqual([]);
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

  it('"Approve for this session" lets the next save of that folder run without asking; a recursive delete never offers it', async () => {
    await phone.page.click('#tab-files');
    await phone.page.click('#viewer-back').catch(() => undefined);
    await phone.page.waitForSelector('button[data-name="notes.txt"]');
    await phone.page.click('button[data-name="notes.txt"]');
    await waitForText(phone.page, '#file-text', /from the phone/);
    await appendInEditor(phone.page, 'fourth line\n');
    await phone.page.click('#save');
    const id = /waiting for approval (\w+)/.exec(await waitForText(phone.page, '#save-status', /waiting for approval \w+/))![1]!;
    await phone.page.click('#tab-approvals');
    const card = `[data-approval="${id}"]`;
    await phone.page.waitForSelector(`${card}[data-state="pending"]`);
    expect(await phone.page.$eval(card, (element) => element.textContent ?? '')).toContain('approving for the session also allows files.write');
    expect(await smallButtons()).toEqual([]);
    await phone.screenshot('approve-for-session');
    // By keyboard: the button takes the focus and Enter decides.
    await phone.page.focus(`${card} [data-decide="approve-session"]`);
    await phone.page.keyboard.press('Enter');
    await phone.page.waitForSelector(`${card}[data-state="approved"]`);
    await waitForText(phone.page, '#notice', /Saved .*notes\.txt/);
    expect(await readFile(join(agent.root, 'notes.txt'), 'utf8')).toBe(`${edited}fourth line\n`);
    expect((await agent.approvals()).find((approval) => approval.id === id)).toMatchObject({ state: 'approved', forSession: true });

    // The same device, the same folder: saved at once, nobody asked.
    await phone.page.click('#tab-files');
    await waitForText(phone.page, '#file-text', /fourth line/);
    await appendInEditor(phone.page, 'fifth line\n');
    await phone.page.click('#save');
    // The notice says "Saved" from the last save already: the bytes on disk tell this one.
    const expected = `${edited}fourth line\nfifth line\n`;
    for (let tries = 0; tries < 300 && (await readFile(join(agent.root, 'notes.txt'), 'utf8')) !== expected; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await readFile(join(agent.root, 'notes.txt'), 'utf8')).toBe(expected);
    expect((await agent.approvals()).filter((approval) => approval.op === 'files.write')).toHaveLength(3);

    // An operator's recursive delete: Approve and Deny only (the agent would refuse a session grant for it).
    await mkdir(join(agent.root, 'old-logs'));
    await writeFile(join(agent.root, 'old-logs', 'a.log'), 'a\n');
    const operator = await agent.addDevice('script', 'operator');
    const removing = agent.cli(['remote', '--link-file', operator, 'files', 'rm', 'old-logs', '-r']);
    const remove = await agent.pendingApproval('files.remove');
    const removeCard = `[data-approval="${remove.id}"]`;
    await phone.page.click('#tab-approvals');
    await phone.page.waitForSelector(`${removeCard}[data-state="pending"]`);
    expect(await phone.page.$eval(removeCard, (element) => element.textContent ?? '')).toContain('cannot be approved for the session: it is destructive');
    expect(await phone.page.$$eval(`${removeCard} [data-decide]`, (buttons) => buttons.map((button) => (button as unknown as { dataset: { decide?: string } }).dataset.decide))).toEqual(['approve', 'deny']);
    await phone.screenshot('recursive-delete-no-session');
    await phone.page.click(`${removeCard} [data-decide="deny"]`);
    expect((await removing).exitCode).toBe(16);
    expect(await readFile(join(agent.root, 'old-logs', 'a.log'), 'utf8')).toBe('a\n');
  });

  it('the Activity tab shows the recent requests from the audit log, newest first, with who approved them', async () => {
    await phone.page.click('#tab-activity');
    await waitForText(phone.page, '#activity-status', /The latest \d+ requests, newest first\./);
    const text = await waitForText(phone.page, '#activity-list', /files\.remove/);
    expect(text).toContain('script (operator)');
    expect(text).toMatch(/files\.remove refusedold-logsDenied by phone: files\.remove/);
    expect(text).toContain('files.write');
    expect(text).toContain(join(agent.root, 'notes.txt'));
    expect(text).toMatch(/approved-for-session by phone/);
    expect(text).toMatch(/session-grant by phone/);
    const seqs = await phone.page.$$eval('#activity-list [data-seq]', (items) => items.map((item) => Number((item as unknown as { dataset: { seq?: string } }).dataset.seq)));
    expect(seqs.length).toBeGreaterThan(5);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    // Long paths and reasons wrap: nothing is wider than the phone.
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await smallButtons()).toEqual([]);
    await phone.screenshot('activity');
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

  it('reloaded while the agent is down, the page still opens (its service worker kept its files) and shows the snapshot with its age', async () => {
    const worker = await phone.page.evaluate(() =>
      Promise.race([navigator.serviceWorker.ready.then((registration) => registration.active?.state), new Promise((resolve) => setTimeout(() => resolve('no service worker after 10 s'), 10_000))]),
    );
    expect(worker).toBe('activated');
    expect(await fetch(link.split('#')[0]!).catch((error: Error) => error.message)).toBe('fetch failed');
    await phone.page.reload();
    await waitForText(phone.page, '#state', /Not connected/);
    expect(await waitForText(phone.page, '#snapshot-age', /Offline: what the server showed \d+ (s|min) ago/)).toBeTruthy();
    expect(await waitForText(phone.page, '#host', /CPU/)).toMatch(/CPU\d+ cores/);
    expect(await waitForText(phone.page, '#services', /Services/)).toContain('No OpenMates stack is installed');
    expect(await waitForText(phone.page, '#header .server-name', /lab-box-7/)).toBe('lab-box-7');
    await phone.screenshot('reloaded-offline');
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
