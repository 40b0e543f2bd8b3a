import { createConnection, createServer, type Socket } from 'node:net';
import { execa } from 'execa';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { openPhoneBrowser, PHONE, SCREENSHOTS, waitForText, type PhoneBrowser } from './web-browser.js';

// The page's globals the functions run in the browser use (this program has Node's types, not the DOM's).
declare const document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
declare function getComputedStyle(element: unknown): { color: string; fontFamily: string };
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };

/** The terminal's screen as xterm.js's DOM renderer draws it: one line per row. */
function screenText(page: Page): Promise<string> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('#terminal-screen .xterm-rows > div'))
      .map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n'),
  );
}

/** Waits until the screen shows a line matching `pattern`; returns the screen. */
async function waitForScreen(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await screenText(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The Terminal tab (the tabs appear a moment after the header says connected: the dashboard waits for the agent's name). */
async function openTerminalTab(page: Page): Promise<void> {
  await page.waitForSelector('#tab-terminal', { visible: true });
  await page.click('#tab-terminal');
}

/** Types a line into the terminal the way a person does: keys into xterm.js's focused textarea, then Enter. */
async function typeLine(page: Page, line: string): Promise<void> {
  await page.focus('#terminal-screen .xterm-helper-textarea');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Whether a process with exactly these arguments runs on this machine (the shell's child, here). */
async function running(args: string): Promise<boolean> {
  const { stdout } = await execa('ps', ['-eo', 'args'], { reject: false });
  return stdout.split('\n').some((line) => line.trim() === args);
}

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The Terminal view in a real browser (Debian's chromium, phone-sized) against a real agent process
 * (safety mode off) with a real PTY: type a command and read its output from xterm.js's screen,
 * interrupt a program with the key row's Ctrl then c, resize, paste, reload and re-join the
 * running shell with its earlier output, exit with a code.
 */
describe('the web page terminal on a phone: type, interrupt, resize, re-join', () => {
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let link: string;
  /** Another device's page (a second browser profile) watching the phone's shell. */
  let watcher: { page: Page; errors: string[]; close(): Promise<void> };
  /** The rows and columns `stty size` said at the phone's size. */
  let phoneSize: { rows: number; cols: number };

  const sttySize = async (marker: string) => {
    await typeLine(phone.page, `echo ${marker}-$(stty size | tr ' ' x)-end`);
    const screen = await waitForScreen(phone.page, new RegExp(`^${marker}-\\d+x\\d+-end`, 'm'));
    const [rows, cols] = new RegExp(`^${marker}-(\\d+)x(\\d+)-end`, 'm').exec(screen)!.slice(1).map(Number) as [number, number];
    return { rows, cols };
  };
  const ctrlPressed = () => phone.page.$eval('[data-key="ctrl"]', (key) => (key as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-pressed'));
  const rowCount = () => phone.page.$$eval('#terminal-screen .xterm-rows > div', (rows) => rows.length);

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'off', env: { SHELL: '/bin/sh' } });
    link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    phone = await openPhoneBrowser('web-terminal');
  });
  afterAll(async () => {
    await watcher?.close();
    await phone?.close();
    await agent?.stop();
  });

  it('opens a shell fitted to the phone, runs a typed command and shows its output', async () => {
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    await openTerminalTab(phone.page);
    await waitForText(phone.page, '#terminal-running', /No shell is running/);
    await phone.page.click('#terminal-open');
    await waitForText(phone.page, '#terminal-state', /^\/bin\/sh in \//);
    await typeLine(phone.page, 'echo $((6*7))-ok');
    const screen = await waitForScreen(phone.page, /^42-ok$/m);
    expect(screen).toContain('echo $((6*7))-ok');
    phoneSize = await sttySize('phone');
    // Fitted: as many rows as the screen draws, and a phone's width of columns (not the 80 of a default).
    expect(phoneSize.rows).toBe(await rowCount());
    expect(phoneSize.cols).toBeGreaterThan(30);
    expect(phoneSize.cols).toBeLessThan(60);
    await phone.screenshot('typed');
  });

  it('the key row: Ctrl then c interrupts a running program and the prompt comes back', async () => {
    await typeLine(phone.page, 'sleep 4321');
    await waitUntil(() => running('sleep 4321'), 'sleep 4321 runs');
    await phone.page.click('[data-key="ctrl"]');
    expect(await ctrlPressed()).toBe('true');
    await phone.page.keyboard.type('c');
    await waitUntil(async () => !(await running('sleep 4321')), 'sleep 4321 is interrupted', 10_000);
    expect(await ctrlPressed()).toBe('false');
    // SIGINT ended it (128 + 2), and the shell reads again.
    await typeLine(phone.page, 'echo "rc=$?-$((1+1))"');
    await waitForScreen(phone.page, /^rc=130-2$/m);
    await phone.screenshot('interrupted');
  });

  it('the key row sends Esc, Tab, the arrows, | and ~ as a terminal would (the bytes, read back by the shell)', async () => {
    // A line read in the tty's line mode keeps those bytes as they came; od prints them.
    await typeLine(phone.page, 'read -r keys; printf "%s" "$keys" | od -An -tx1');
    for (const key of ['esc', 'tab', 'left', 'up', 'pipe', 'tilde']) await phone.page.click(`[data-key="${key}"]`);
    await phone.page.keyboard.press('Enter');
    await waitForScreen(phone.page, /^ 1b 09 1b 5b 44 1b 5b 41 7c 7e$/m);
    // Ctrl then an arrow: the modified arrow's sequence.
    await typeLine(phone.page, 'read -r keys; printf "%s" "$keys" | od -An -tx1');
    await phone.page.click('[data-key="ctrl"]');
    await phone.page.click('[data-key="right"]');
    await phone.page.keyboard.press('Enter');
    await waitForScreen(phone.page, /^ 1b 5b 31 3b 35 43$/m);
  });

  it('follows a resize: the screen is fitted again and the shell hears the new size', async () => {
    await phone.page.setViewport({ width: PHONE.height, height: PHONE.width, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await waitUntil(async () => (await rowCount()) !== phoneSize.rows, 'the screen has another number of rows');
    const turned = await sttySize('turned');
    expect(turned.rows).toBe(await rowCount());
    expect(turned.cols).toBeGreaterThan(phoneSize.cols);
    await phone.screenshot('landscape');
    await phone.page.setViewport({ ...PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await waitUntil(async () => (await rowCount()) === phoneSize.rows, 'the screen is back to the phone’s rows');
    expect(await sttySize('back')).toEqual(phoneSize);
  });

  it('in a desktop window the terminal is wide: more than 100 columns', async () => {
    // Still a touch screen (changing that would make puppeteer reload the page): a tablet or a laptop's window.
    await phone.page.setViewport({ width: 1280, height: 800, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await waitUntil(async () => (await rowCount()) !== phoneSize.rows, 'the screen is fitted to the window');
    const desktop = await sttySize('desktop');
    expect(desktop.cols).toBeGreaterThan(100);
    expect(desktop.rows).toBe(await rowCount());
    await phone.screenshot('desktop');
    await phone.page.setViewport({ ...PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await waitUntil(async () => (await rowCount()) === phoneSize.rows, 'the screen is back to the phone’s rows');
    expect(await sttySize('phone-again')).toEqual(phoneSize);
  });

  it('Paste without clipboard access offers a box; its text goes to the shell', async () => {
    await phone.page.click('#terminal-paste-button');
    await phone.page.waitForSelector('#terminal-paste-text');
    await phone.page.type('#terminal-paste-text', 'echo pasted-$((5+5))\n');
    await phone.page.click('#terminal-paste-send');
    await waitForScreen(phone.page, /^pasted-10$/m);
    expect(await phone.page.$('#terminal-paste-text')).toBeNull();
  });

  it('Copy puts the selection on the clipboard, Paste takes the clipboard (once the browser allows the page both)', async () => {
    await phone.browser.defaultBrowserContext().overridePermissions(new URL(link).origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    // A double tap selects a word: a line just printed (so it shows on the screen).
    await typeLine(phone.page, 'echo copy-me-$((2*3))');
    await waitForScreen(phone.page, /^copy-me-6$/m);
    const row = await phone.page.evaluateHandle(() => Array.from(document.querySelectorAll('#terminal-screen .xterm-rows > div')).find((line) => line.textContent?.replace(/\u00a0/g, ' ').trimEnd() === 'copy-me-6'));
    const box = await row.asElement()!.boundingBox();
    await phone.page.mouse.click(box!.x + 12, box!.y + box!.height / 2, { count: 2 });
    await phone.page.click('#terminal-copy');
    await waitForText(phone.page, '#terminal-state', /Copied 9 characters/);
    expect(await phone.page.evaluate(() => navigator.clipboard.readText())).toBe('copy-me-6');
    await phone.page.evaluate(() => navigator.clipboard.writeText('echo from-clipboard-$((4*4))\n'));
    await phone.page.click('#terminal-paste-button');
    await waitForScreen(phone.page, /^from-clipboard-16$/m);
    expect(await phone.page.$('#terminal-paste-text')).toBeNull();
  });

  it('xterm.js is styled under the page’s CSP (its theme, and a 24-bit colour from the output)', async () => {
    await typeLine(phone.page, "printf '\\033[38;2;255;0;0mtrue-red\\033[0m-plain\\n'");
    await waitForScreen(phone.page, /^true-red-plain$/m);
    const styles = await phone.page.evaluate(() => {
      const rows = Array.from(document.querySelectorAll('#terminal-screen .xterm-rows > div')) as unknown as { textContent: string | null; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> }[];
      const red = rows.flatMap((row) => Array.from(row.querySelectorAll('span'))).find((span) => span.textContent === 'true-red');
      const container = (document as unknown as { querySelector(selector: string): unknown }).querySelector('#terminal-screen .xterm-rows');
      return { rows: getComputedStyle(container).color, font: getComputedStyle(container).fontFamily, red: red && getComputedStyle(red).color };
    });
    expect(styles).toEqual({ rows: 'rgb(233, 235, 239)', font: expect.stringContaining('monospace') as string, red: 'rgb(255, 0, 0)' });
  });

  it('touch-sized keys, nothing wider than the phone, no page error', async () => {
    const small = await phone.page.$$eval('#terminal button', (buttons) =>
      buttons
        .filter((button) => button.offsetParent !== null)
        .map((button) => ({ text: button.textContent, rect: button.getBoundingClientRect() }))
        .filter(({ rect }) => rect.height < 44 || rect.width < 44)
        .map(({ text, rect }) => `${text}: ${rect.width}×${rect.height}`),
    );
    expect(small).toEqual([]);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // Among them: a CSP refusal of xterm.js's styles (terminal-styles.ts routes them to constructed sheets).
    expect(phone.errors).toEqual([]);
  });

  it('reloaded, the page lists the running shell; re-joined, the earlier output is there and typing goes on', async () => {
    const before = await screenText(phone.page);
    expect(before).toMatch(/^true-red-plain$/m);
    await phone.page.reload();
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    await openTerminalTab(phone.page);
    await phone.page.waitForSelector('#terminal-list [data-terminal][data-mine="true"]');
    expect(await waitForText(phone.page, '#terminal-list', /Re-join/)).toMatch(/\/bin\/sh in .*opened \d+ (s|min) ago by this device/);
    await phone.screenshot('list');
    await phone.page.click('#terminal-list [data-terminal]');
    // The kept output, replayed at the same size: the same screen as before the reload.
    await waitUntil(async () => (await screenText(phone.page)) === before, 'the re-joined screen is the one left');
    await typeLine(phone.page, 'echo back-$((2*5))');
    await waitForScreen(phone.page, /^back-10$/m);
    await phone.screenshot('rejoined');
  });

  it('another device watches the shell read-only: it sees the output as it comes, and what it types goes nowhere', async () => {
    const laptopLink = (await readFile(await agent.addDevice('laptop', 'operator'), 'utf8')).trim();
    const context = await phone.browser.createBrowserContext();
    const laptop = await context.newPage();
    const laptopErrors: string[] = [];
    laptop.on('pageerror', (error) => laptopErrors.push(String(error)));
    laptop.on('console', (message) => message.type() === 'error' && laptopErrors.push(message.text()));
    await laptop.setViewport({ ...PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await laptop.goto(laptopLink);
    await waitForText(laptop, '#state', /Connected as laptop \(operator\)/);
    await openTerminalTab(laptop);
    expect(await waitForText(laptop, '#terminal-list', /Watch/)).toMatch(/opened \d+ (s|min) ago by phone/);
    await laptop.click('#terminal-list [data-terminal][data-mine="false"]');
    await waitForText(laptop, '#terminal-state', /^Read-only: phone’s shell/);
    expect(await laptop.$('#terminal-keys')).toBeNull();
    expect(await laptop.$('#terminal-paste-button')).toBeNull();
    expect(await laptop.$('#terminal-copy')).not.toBeNull();
    expect(await laptop.$('#terminal-close')).toBeNull();
    await waitForScreen(laptop, /^back-10$/m);
    // At the owner's size, whatever the watcher's box.
    expect(await laptop.$$eval('#terminal-screen .xterm-rows > div', (rows) => rows.length)).toBe(phoneSize.rows);

    await typeLine(phone.page, 'echo watched-$((7*6))');
    await waitForScreen(laptop, /^watched-42$/m);
    await typeLine(laptop, 'echo typed-by-the-watcher');
    await typeLine(phone.page, 'echo owner-again-$((1+2))');
    await waitForScreen(laptop, /^owner-again-3$/m);
    expect(await screenText(phone.page)).not.toContain('typed-by-the-watcher');
    expect(await waitForText(laptop, '#terminal-state', /Read-only/)).not.toMatch(/Not sent/);
    await laptop.screenshot({ path: `${SCREENSHOTS}/web-terminal-watcher.png` });
    watcher = { page: laptop, errors: laptopErrors, close: () => context.close() };
  });

  it('exit with a code: the page says so and opens a new shell on request', async () => {
    await typeLine(phone.page, 'exit 3');
    expect(await waitForText(phone.page, '#terminal-exit', /Shell exited with code 3/)).toBe('Shell exited with code 3');
    await phone.screenshot('exited');
    await phone.page.click('#terminal-new');
    await waitForText(phone.page, '#terminal-state', /^\/bin\/sh in \//);
    await typeLine(phone.page, 'echo fresh-$((3*3))');
    const screen = await waitForScreen(phone.page, /^fresh-9$/m);
    expect(screen).not.toMatch(/42-ok/);
    expect(phone.errors).toEqual([]);
    // The watcher hears the end too.
    expect(await waitForText(watcher.page, '#terminal-exit', /Shell exited with code 3/)).toBe('Shell exited with code 3');
    expect(watcher.errors).toEqual([]);
  });
});

describe('the web page terminal in safety mode: opening a shell is one approval', () => {
  let agent: AgentProcess;
  let phone: PhoneBrowser;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on', env: { SHELL: '/bin/sh' } });
    const link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    phone = await openPhoneBrowser('web-terminal-safety');
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
  });
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
  });

  it('says it waits for approval, the approval says what a shell means, approved the shell opens', async () => {
    await openTerminalTab(phone.page);
    await phone.page.click('#terminal-open');
    await waitForText(phone.page, '#terminal-state', /Waiting for approval on your approver device/);
    await phone.screenshot('waiting');
    const pending = await agent.pendingApproval('terminal.create');
    await phone.page.click('#tab-approvals');
    const card = `[data-approval="${pending.id}"]`;
    await phone.page.waitForSelector(`${card}[data-state="pending"]`);
    expect(await phone.page.$eval(card, (element) => element.textContent ?? '')).toContain('commands are not checked one by one');
    await phone.page.click(`${card} [data-decide="approve"]`);
    await phone.page.waitForSelector(`${card}[data-state="approved"]`);
    await openTerminalTab(phone.page);
    await waitForText(phone.page, '#terminal-state', /^\/bin\/sh in \//);
    await typeLine(phone.page, 'echo approved-$((8*8))');
    await waitForScreen(phone.page, /^approved-64$/m);
    await phone.screenshot('approved');
    expect(phone.errors).toEqual([]);
  });

  it('Close hangs the shell up: the page says it ended, and the server lists it no more', async () => {
    await phone.page.click('#terminal-close');
    expect(await waitForText(phone.page, '#terminal-exit', /Shell (exited|ended)/)).toMatch(/^Shell (exited with code \d+|ended by signal SIG\w+)$/);
    expect(await phone.page.$('#terminal-close')).toBeNull();
    expect(await phone.page.$('#terminal-keys')).toBeNull();
    await phone.page.click('#terminal-back');
    await waitForText(phone.page, '#terminal-running', /No shell is running/);
  });
});

/** A TCP proxy in front of the agent whose connections can be cut, and new ones refused for a while (a phone losing its network). */
async function startCuttableProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  let refusing = false;
  const server = createServer((inbound) => {
    if (refusing) return void inbound.destroy();
    const outbound = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the web page terminal when the connection drops: it comes back to the same shell with nothing missing, nothing twice', () => {
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'off', env: { SHELL: '/bin/sh' } });
    const link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    const url = new URL(link);
    proxy = await startCuttableProxy(Number(url.port));
    url.port = String(proxy.port);
    phone = await openPhoneBrowser('web-terminal-drop');
    await phone.page.goto(url.href);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
  });
  afterAll(async () => {
    await phone?.close();
    await proxy?.close();
    await agent?.stop();
  });

  it('output written while the page was cut off arrives after the reconnect, once', async () => {
    await openTerminalTab(phone.page);
    await phone.page.click('#terminal-open');
    await waitForText(phone.page, '#terminal-state', /^\/bin\/sh in \//);
    await typeLine(phone.page, 'echo before-$((2+3))');
    await waitForScreen(phone.page, /^before-5$/m);
    // The shell goes on printing while the page cannot hear it.
    await typeLine(phone.page, 'sleep 1.75; i=0; while [ $i -lt 5 ]; do i=$((i+1)); echo away-$i; done');
    await waitUntil(() => running('sleep 1.75'), 'sleep 1.75 runs');
    proxy.cut();
    await waitForText(phone.page, '#terminal-state', /Reconnecting… the shell keeps running/);
    await phone.screenshot('cut-off');
    await waitUntil(async () => !(await running('sleep 1.75')), 'the loop has run on the server', 10_000);
    expect(await screenText(phone.page)).not.toMatch(/^away-1$/m);
    proxy.restore();
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/, 60_000);
    const screen = await waitForScreen(phone.page, /^away-5$/m);
    const lines = screen.split('\n');
    for (const line of ['before-5', 'away-1', 'away-2', 'away-3', 'away-4', 'away-5']) expect(lines.filter((shown) => shown === line), line).toHaveLength(1);
    await waitForText(phone.page, '#terminal-state', /^\/bin\/sh in \//);
    await typeLine(phone.page, 'echo after-$((3+4))');
    await waitForScreen(phone.page, /^after-7$/m);
    await phone.screenshot('back');
    // Chromium logs each refused attempt while cut off; nothing else may appear.
    expect(phone.errors.filter((error) => !/^console: WebSocket connection to .* failed/.test(error))).toEqual([]);
  });
});
