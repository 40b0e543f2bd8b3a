import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, createTestStack, runCli, type TestStack } from './harness/index.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

const LINES = 400;

/**
 * The page keeps working after the relay is restarted: a real relay process is killed and started
 * again under an open page (phone viewport, real chromium) that follows a service's numbered log
 * lines. The page says it is offline (with the age of what it shows), comes back on its own, and
 * the log view continues with every line once; the files view works again afterwards.
 */
describe('the web page keeps working after the relay is restarted', () => {
  let stack: TestStack;
  let relay: RelayProcess;
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let link: string;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'web-reconnect', fixtureDir: join(REPO_ROOT, 'test', 'fixtures', 'chatty-stack') });
    // chatty1 writes LINES numbered lines (fewer than the page keeps), 10 a second; the other services one line each.
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir, '--tag', 'latest'], { env: { CHATTY_RATE: '10', CHATTY_LINES_FIRST: String(LINES), CHATTY_LINES: '1' } });
    expect(installed.exitCode, installed.stderr).toBe(0);
    relay = await startRelayProcess();
    agent = await startAgentProcess({ safetyMode: 'off', relay: relay.url, args: ['--path', stack.installDir] });
    await writeFile(join(agent.root, 'after.txt'), 'read after the relay came back\n');
    link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    phone = await openPhoneBrowser('web-reconnect');
  }, 300_000);
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
    await relay?.stop();
    await stack?.cleanup();
  });

  it('offline with the snapshot\'s age while the relay is down, back by itself, the logs continue without a gap or a repeat', async () => {
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    await waitForText(phone.page, '#host', /CPU/);
    await phone.page.click('#tab-logs');
    await phone.page.waitForSelector('#log-service option[value="chatty1"]');
    await phone.page.select('#log-service', 'chatty1');
    const before = await waitForText(phone.page, '#log-lines', /chatty1 line \d+ /, 60_000);
    const lastBefore = Math.max(...[...before.matchAll(/chatty1 line (\d+) the quick/g)].map((match) => Number(match[1])));
    expect(lastBefore, 'the relay goes down while chatty1 still writes').toBeLessThan(LINES - 50);

    await relay.stop('SIGKILL');
    await waitForText(phone.page, '#state', /Reconnecting/);
    expect(await waitForText(phone.page, '#snapshot-age', /Offline: the connection dropped .* Showing what the server showed \d+ (s|min) ago/)).toBeTruthy();
    await phone.screenshot('relay-down');
    await relay.restart();
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/, 60_000);
    expect(await phone.page.$('#snapshot-age')).toBeNull();
    expect(await phone.page.$('#reconnect')).toBeNull();

    const shown = await waitForText(phone.page, '#log-lines', new RegExp(`chatty1 line ${LINES} `), 120_000);
    const numbers = [...shown.matchAll(/chatty1 line (\d+) the quick/g)].map((match) => Number(match[1]));
    const first = numbers[0]!;
    expect(first).toBeLessThanOrEqual(lastBefore);
    expect(numbers).toEqual(Array.from({ length: LINES - first + 1 }, (_, i) => first + i));
    await phone.screenshot('relay-back-logs');

    await phone.page.click('#tab-files');
    await phone.page.waitForSelector('button[data-name="after.txt"]');
    await phone.page.click('button[data-name="after.txt"]');
    expect(await waitForText(phone.page, '#file-text', /read after/)).toBe('read after the relay came back\n');
    // Chromium itself logs each attempt made while the relay was down; nothing else may appear.
    expect(phone.errors.filter((error) => !/^console: WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/v1\/connect\/[\w-]+' failed: .*ERR_CONNECTION_REFUSED$/.test(error))).toEqual([]);
  }, 300_000);
});
