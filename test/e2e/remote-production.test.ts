import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvFile } from '../../src/core/install/env-file.js';
import { connect, type RemoteServer } from '../../src/remote/sdk/index.js';
import { createTestStack, dockerOk, killAllTmuxSessions, runCli, serviceContainer, startCliInTmux, type TestStack } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

const startedAt = async (containerId: string) => (await dockerOk(['inspect', '--format', '{{.State.StartedAt}}', containerId])).trim();

/**
 * Issue 11's whole story on a production server: the test stack installed on the real engine,
 * a real agent with safety mode on, an assistant (operator SDK client) and a phone (approver).
 */
describe('a production server reached remotely: approvals, undo and secrets together', () => {
  let stack: TestStack;
  let agent: AgentProcess;
  let operatorLink: string;
  let assistant: RemoteServer;
  let phone: RemoteServer;
  let password: string;

  const remote = (args: string[], input?: string) => agent.cli(['remote', '--link-file', operatorLink, ...args], input === undefined ? {} : { input });
  const pending = (op: string) => agent.pendingApproval(op);

  beforeAll(async () => {
    stack = await createTestStack({ name: 'production' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
    password = EnvFile.parse(await readFile(join(stack.installDir, '.env'), 'utf8')).get('DATABASE_PASSWORD')!;
    expect(password.length).toBeGreaterThanOrEqual(16);
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', stack.installDir] });
    operatorLink = await agent.addDevice('assistant', 'operator');
    assistant = await connect(await readFile(operatorLink, 'utf8'));
    phone = await connect(await readFile(await agent.addDevice('phone', 'approver'), 'utf8'));
  }, 300_000);
  afterAll(async () => {
    await killAllTmuxSessions();
    assistant?.close();
    phone?.close();
    await agent?.stop();
    await stack?.cleanup();
  });

  it('a file write waits, shows its diff in `approvals --json`, is approved by the phone and lands byte-exact', async () => {
    await writeFile(join(agent.root, 'app.conf'), 'port=80\nworkers=2\n');
    const content = Buffer.from('port=8080\nworkers=2\n');
    const notices: string[] = [];
    const writing = assistant.files.write('app.conf', content, { onApproval: (notice) => notices.push(notice.id) });
    const approval = await pending('files.write');
    expect(approval).toMatchObject({ device: { name: 'assistant', role: 'operator' }, details: { kind: 'write', binary: false }, undo: { possible: true } });
    expect((approval.details as { diff: string }).diff).toContain('-port=80\n+port=8080\n');
    expect(await readFile(join(agent.root, 'app.conf'), 'utf8')).toBe('port=80\nworkers=2\n');
    await phone.approvals.decide({ id: approval.id, hash: approval.hash, decision: 'approve' });
    await writing;
    expect(notices).toEqual([approval.id]);
    expect(await readFile(join(agent.root, 'app.conf'))).toEqual(content);
  });

  it('a denied delete changes nothing and the caller gets exit 16 naming who denied it', async () => {
    const before = await readFile(join(agent.root, 'app.conf'));
    const rm = remote(['files', 'rm', 'app.conf']);
    const approval = await pending('files.remove');
    expect(approval.details).toMatchObject({ kind: 'delete', files: 1, bytes: before.byteLength });
    await phone.approvals.decide({ id: approval.id, hash: approval.hash, decision: 'deny', reason: 'still in use' });
    const result = await rm;
    expect(result.exitCode, result.stderr).toBe(16);
    expect(result.stderr).toContain('phone');
    expect(result.stderr).toContain('still in use');
    expect(await readFile(join(agent.root, 'app.conf'))).toEqual(before);
  });

  it('an approved delete is undone and the file is back byte-exact', async () => {
    const before = await readFile(join(agent.root, 'app.conf'));
    const rm = remote(['files', 'rm', 'app.conf']);
    const approval = await pending('files.remove');
    await phone.approvals.decide({ id: approval.id, hash: approval.hash, decision: 'approve' });
    expect((await rm).exitCode).toBe(0);
    await expect(readFile(join(agent.root, 'app.conf'))).rejects.toMatchObject({ code: 'ENOENT' });
    const listed = await agent.cli(['remote-access', 'undo', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const entries = (JSON.parse(listed.stdout) as { entries: { id: string; op: string; path: string }[] }).entries;
    const removal = entries.find((entry) => entry.op === 'remove' && entry.path === join(agent.root, 'app.conf'))!;
    expect(removal, listed.stdout).toBeDefined();
    const undone = await agent.cli(['remote-access', 'undo', removal.id]);
    expect(undone.exitCode, undone.stderr).toBe(0);
    expect(await readFile(join(agent.root, 'app.conf'))).toEqual(before);
  });

  it('a restart request shows the downtime text and is approved from the full-screen app', async () => {
    const before = await startedAt((await serviceContainer(stack.project, 'api')).id);
    const restart = remote(['server', 'restart']);
    const approval = await pending('server.restart');
    expect(approval.details).toMatchObject({ kind: 'service', action: 'restart', services: expect.arrayContaining(['api']) });
    const downtime = (approval.details as { downtime: string }).downtime;
    expect(downtime.length).toBeGreaterThan(0);

    const app = await startCliInTmux(['--path', stack.installDir], {
      cols: 120,
      rows: 40,
      env: { XDG_STATE_HOME: agent.env.XDG_STATE_HOME, XDG_CONFIG_HOME: agent.env.XDG_CONFIG_HOME, XDG_RUNTIME_DIR: agent.env.XDG_RUNTIME_DIR },
    });
    await app.waitForText('1 remote request waits for your approval', 30_000);
    await app.sendKeys('a');
    const screen = await app.waitForText(approval.headline, 15_000);
    expect(screen).toContain(downtime.slice(0, 40));
    await app.sendKeys('y');
    await app.waitForText('Approved by you', 15_000);
    const result = await restart;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`waiting for approval ${approval.id}`);
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).not.toBe(before);
    expect((await fetch(`${stack.apiUrl}/v1/health`)).status).toBe(200);
    await app.kill();
  });

  it("`cat` of a file holding the install's database password shows only the token; the token written into a new file puts the real password there", async () => {
    await writeFile(join(agent.root, 'database.yml'), `host: db\npassword: ${password}\n`);
    const token = `<SECRET:install-env:DATABASE_PASSWORD:${password.slice(0, 2)}…${password.slice(-2)}>`;
    const catted = await remote(['exec', '--', 'cat database.yml']);
    expect(catted.exitCode, catted.stderr).toBe(0);
    expect(catted.stdout).toBe(`host: db\npassword: ${token}\n`);
    const read = await assistant.files.read('database.yml');
    expect(Buffer.from(read.bytes).toString()).not.toContain(password);

    const put = remote(['files', 'put', 'copy.yml'], `password: ${token}\n`);
    const approval = await pending('files.write');
    expect(JSON.stringify(approval)).not.toContain(password);
    expect((approval.details as { diff: string }).diff).toContain(`+password: ${token}`);
    await phone.approvals.decide({ id: approval.id, hash: approval.hash, decision: 'approve' });
    expect((await put).exitCode).toBe(0);
    expect(await readFile(join(agent.root, 'copy.yml'), 'utf8')).toBe(`password: ${password}\n`);
  });

  it('`audit --verify` passes and the log names each decision and who made it, with tokens only', async () => {
    const verified = await agent.cli(['remote-access', 'audit', '--verify']);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    const records = (await agent.cli(['remote-access', 'audit', '--json'])).stdout.trim().split('\n').map((line) => JSON.parse(line) as { op: string; decision: string; approval?: { decision: string; by: string } });
    const decisions = records.filter((record) => record.op === 'approvals.decide' && record.decision === 'allowed').map((record) => record.approval);
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ decision: 'approved', by: 'phone' }),
        expect.objectContaining({ decision: 'denied', by: 'phone' }),
        expect.objectContaining({ decision: 'approved', by: expect.stringContaining('the openmates app') }),
      ]),
    );
    expect(records.some((record) => record.op === 'undo.apply')).toBe(true);
    expect(await readFile(join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl'), 'utf8')).not.toContain(password);
  });
});
