import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type RemoteServer } from '../../src/remote/sdk/index.js';
import { fixtureImage, runCli } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

const SECRET = 'run-secret-6b2d94f0c1';
const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=test', ...args], { cwd });

/** Isolated runs through the agent: the SDK and `openmates remote run`, in safety mode. */
describe('remote runs: an assistant runs code in a throw-away container, not on the host', () => {
  let agent: AgentProcess;
  let laptop: RemoteServer;
  let phone: RemoteServer;
  let laptopLink: string;
  let repo: string;
  const image = () => fixtureImage('openmates-runner', 'latest');

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on', prepare: (home) => writeFile(join(home, 'shared', '.env'), `API_SECRET=${SECRET}\n`) });
    // A repository inside the shared folder, with a file that holds the secret's value.
    repo = join(agent.root, 'project');
    await git(agent.root, 'init', '--quiet', '--initial-branch=main', repo);
    await writeFile(join(repo, 'config.txt'), `token=${SECRET}\n`);
    await git(repo, 'add', '.');
    await git(repo, 'commit', '--quiet', '-m', 'one');
    laptopLink = await agent.addDevice('laptop');
    laptop = await connect(await readFile(laptopLink, 'utf8'));
    phone = await connect(await readFile(await agent.addDevice('phone', 'approver'), 'utf8'));
  }, 120_000);
  afterAll(async () => {
    laptop?.close();
    phone?.close();
    await agent?.stop();
    await runCli(['runs', 'rm', '--finished']);
  });

  it('a run without network needs no approval, even in safety mode; its output reaches the device redacted', async () => {
    const run = await laptop.runs.create({ repo, branch: 'main', image: image(), command: ['sh', '-c', 'cat config.txt; echo "user=$(id -u)"; exit 3'] });
    expect(run).toMatchObject({ status: expect.stringMatching(/running|failed/), network: 'none', branch: 'main' });
    const logs = laptop.runs.logs(run.id, { follow: true });
    let text = '';
    for await (const output of logs) text += output.text;
    const ended = await logs.result;
    expect(ended).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(text).toContain('user=1000');
    expect(text).toContain('token=<SECRET:');
    expect(text).not.toContain(SECRET);
    expect(await agent.approvals()).toEqual([]);
    expect((await laptop.runs.list()).map((listed) => listed.id)).toContain(run.id);
  });

  it('a run with network access waits for an approval that says so', async () => {
    const creating = laptop.runs.create({ repo, branch: 'main', image: image(), network: 'bridge', command: ['echo', 'online'] });
    const pending = await agent.pendingApproval('runs.create');
    expect(pending.headline).toContain('with network access');
    expect(pending.details).toMatchObject({ kind: 'command', mayTouch: ['the network'] });
    await phone.approvals.decide({ id: pending.id, hash: pending.hash, decision: 'approve' });
    const run = await creating;
    expect(run.network).toBe('bridge');
  });

  it('a repository outside the shared folders is refused', async () => {
    await expect(laptop.runs.create({ repo: '/etc', branch: 'main', image: image(), command: ['true'] })).rejects.toMatchObject({ code: 'refused' });
  });

  it('`openmates remote run` streams the output and exits with the exit code; `remote runs` lists it; the audit has it', async () => {
    const result = await agent.cli(['remote', '--link-file', laptopLink, 'run', '--repo', repo, '--branch', 'main', '--image', image(), '--', 'sh', '-c', 'echo from-remote-run; exit 5']);
    expect(result.exitCode, result.stderr).toBe(5);
    expect(result.stdout).toContain('from-remote-run');
    const listed = await agent.cli(['remote', '--link-file', laptopLink, 'runs', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { runs: { command: string[] }[] }).runs.some((run) => run.command.join(' ').includes('from-remote-run'))).toBe(true);
    const audit = await readFile(join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"op":"runs.create".*from-remote-run/);
    expect(audit).not.toContain(SECRET);
  });
});
