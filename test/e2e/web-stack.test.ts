import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, dockerOk, runCli, serviceContainer, type TestStack } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

async function startedAt(containerId: string): Promise<string> {
  return (await dockerOk(['inspect', '--format', '{{.State.StartedAt}}', containerId])).trim();
}

/** The web page with the test stack installed (real engine and Compose): services with health, a restart approved from the page. */
describe('the web page looks after the stack: services with health, a restart approved on the phone', () => {
  let stack: TestStack;
  let agent: AgentProcess;
  let phone: PhoneBrowser;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'web' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', stack.installDir] });
    phone = await openPhoneBrowser('web-stack');
  });
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
    await stack?.cleanup();
  });

  it('shows the services with their health and the containers in the host facts', async () => {
    const link = (await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim();
    await phone.page.goto(link);
    await waitForText(phone.page, '#state', /Connected as phone \(approver\)/);
    await waitForText(phone.page, '#stack-health', /^healthy$/, 60_000);
    const services = await phone.page.$$eval('#services [data-service]', (rows) => rows.map((row) => { const { service, health } = (row as unknown as { dataset: Record<string, string> }).dataset; return [service, health]; }));
    expect(services).toContainEqual(['api', 'healthy']);
    const host = await waitForText(phone.page, '#host', /Containers/);
    expect(host).toContain((await serviceContainer(stack.project, 'api')).name);
    await phone.screenshot('services');
  });

  it('Restart waits for approval; the inbox shows the downtime text; Approve restarts the stack, healthy again', async () => {
    const before = await startedAt((await serviceContainer(stack.project, 'api')).id);
    await phone.page.click('#restart');
    const waiting = await waitForText(phone.page, '#notice', /Restart: waiting for approval \w+/);
    const id = /approval (\w+)/.exec(waiting)![1]!;
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).toBe(before);
    await phone.page.click('#tab-approvals');
    const card = `[data-approval="${id}"]`;
    await phone.page.waitForSelector(`${card}[data-state="pending"]`);
    const text = await phone.page.$eval(card, (element) => element.textContent ?? '');
    expect(text).toMatch(new RegExp(`Restart ${stack.project}: stop and start its \\d+ services\\.`));
    expect(text).toContain('Downtime: ');
    expect(text).toContain('No data is deleted.');
    await phone.screenshot('restart-approval');
    await phone.page.click(`${card} [data-decide="approve"]`);
    await waitForText(phone.page, '#notice', /The stack restarted\./, 240_000);
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).not.toBe(before);
    await phone.page.click('#tab-server');
    await waitForText(phone.page, '#stack-health', /^healthy$/, 60_000);
    await phone.screenshot('restarted');
    expect((await fetch(`${stack.apiUrl}/v1/health`)).status).toBe(200);
    expect(phone.errors).toEqual([]);
  });

  it('live logs: every service as it comes, then one service picked in the filter', async () => {
    await phone.page.click('#tab-logs');
    await waitForText(phone.page, '#log-lines', /worker \| worker v1\.0\.0 heartbeat \d+/, 60_000);
    await phone.screenshot('logs-all');
    await phone.page.select('#log-service', 'api');
    await waitForText(phone.page, '#log-state', /Following/);
    expect((await fetch(`${stack.apiUrl}/v1/health`)).status).toBe(200);
    const lines = await waitForText(phone.page, '#log-lines', /api \| .*response:200/, 60_000);
    expect(lines.split('\n').filter((line) => !line.startsWith('api | '))).toEqual([]);
    await phone.screenshot('logs-api');
    expect(phone.errors).toEqual([]);
  });

  it('revoking the device ends it: the open page is cut off, and the key it kept is forgotten', async () => {
    const revoked = await agent.cli(['remote-access', 'devices', 'revoke', 'phone']);
    expect(revoked.exitCode, revoked.stderr).toBe(0);
    await waitForText(phone.page, '#state', /Disconnected/);
    expect(await waitForText(phone.page, '#notice', /connection is gone/)).toContain('revoked');
    await phone.page.click('#reconnect');
    expect(await waitForText(phone.page, '#boot-error', /refused/)).toContain('This device was refused');
    await phone.screenshot('revoked');
    await phone.page.reload();
    await waitForText(phone.page, '#no-device', /Open your device link/);
    expect(await phone.page.$('#host')).toBeNull();
  });
});
