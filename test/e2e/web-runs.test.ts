import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, fixtureImage, runCli } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { openPhoneBrowser, waitForText, type PhoneBrowser } from './web-browser.js';

const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=test', ...args], { cwd });

/** A long run started detached on the server, followed and cancelled from the phone page (real agent, engine, chromium). */
describe('the web page on a phone: the Runs view', () => {
  let agent: AgentProcess;
  let phone: PhoneBrowser;
  let id: string;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on' });
    const repo = join(agent.root, 'project');
    await git(agent.root, 'init', '--quiet', '--initial-branch=main', repo);
    await git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'empty');
    const started = await execa(process.execPath, [CLI_BIN, 'run', '--detach', '--repo', repo, '--branch', 'main', '--image', fixtureImage('openmates-runner', 'latest'), '--', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo "step $i"; sleep 0.3; done'], { env: agent.env, reject: false });
    expect(started.exitCode, started.stderr).toBe(0);
    id = started.stdout.trim();
    phone = await openPhoneBrowser('web-runs');
    await phone.page.goto((await readFile(await agent.addDevice('phone', 'approver'), 'utf8')).trim());
    await waitForText(phone.page, '#state', /Connected as phone/);
  }, 180_000);
  afterAll(async () => {
    await phone?.close();
    await agent?.stop();
    await runCli(['runs', 'rm', '--finished']);
  });

  it('lists the run started on the server, follows its output live, and cancels it', async () => {
    await phone.page.click('#tab-runs');
    await waitForText(phone.page, `[data-run="${id}"]`, /running/);
    await phone.page.click(`[data-run="${id}"]`);
    await waitForText(phone.page, '#run-output', /step 3/);
    await phone.screenshot('runs-following');
    await phone.page.click('#run-cancel');
    await waitForText(phone.page, '#run-end', /The run cancelled with exit code 130/);
    await waitForText(phone.page, `[data-run="${id}"]`, /cancelled · 130/);
    const status = JSON.parse((await runCli(['runs', 'status', id, '--json'], { env: agent.env })).stdout) as { run: { status: string } };
    expect(status.run.status).toBe('cancelled');
    expect(phone.errors).toEqual([]);
    await phone.screenshot('runs-cancelled');
  });
});
