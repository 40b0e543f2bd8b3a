import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type RemoteServer } from '../../src/remote/sdk/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

// The install's secret (known from the start) and one that becomes known only later (a .env written into the shared folder).
const PASSWORD = '4b8d2f6a1c3e5a7b9d0f2e4c6a8b0d1f3e5c7a9b';
const LATER = 'mill-pond-heron-7305-quiet-stones';

/**
 * `audit.recent` against a real agent process in safety mode, through the SDK: any device may
 * ask and is answered at once (while a change waits for approval too), newest first, and no
 * device gets a secret, a raw-secrets approver neither, including one that was not known yet
 * when its line was written.
 */
describe('audit.recent: the recent activity for every device, at once, without a secret', () => {
  let agent: AgentProcess;
  let installDir: string;
  let operatorLink: string;
  const devices: Record<'operator' | 'approver' | 'owner', RemoteServer> = {} as never;

  beforeAll(async () => {
    installDir = join(process.env.TMPDIR ?? '/tmp', `omt-audit-install-${process.pid}-${Date.now()}`);
    await mkdir(installDir, { recursive: true });
    await writeFile(join(installDir, '.env'), `OPENMATES_IMAGE_TAG=v1.0.0\nDATABASE_PASSWORD=${PASSWORD}\n`, { mode: 0o600 });
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', installDir] });
    await writeFile(join(agent.root, `report-${LATER}.txt`), 'numbers\n');
    operatorLink = await agent.addDevice('assistant', 'operator');
    devices.operator = await connect(await readFile(operatorLink, 'utf8'));
    devices.approver = await connect(await readFile(await agent.addDevice('phone', 'approver'), 'utf8'));
    const owner = await agent.cli(['remote-access', 'devices', 'add', 'owner', '--role', 'approver', '--raw-secrets', '--json']);
    expect(owner.exitCode, owner.stderr).toBe(0);
    devices.owner = await connect((JSON.parse(owner.stdout) as { link: string }).link);
  }, 120_000);
  afterAll(async () => {
    for (const server of Object.values(devices)) server?.close();
    await agent?.stop();
    await rm(installDir, { recursive: true, force: true });
  });

  it('an operator asks while its own change waits for approval: answered at once, newest first, the change still waiting', async () => {
    await devices.operator.files.stat(`report-${LATER}.txt`);
    const echoed = await devices.operator.exec(`echo ${PASSWORD}`).result;
    expect(echoed.exitCode).toBe(0);
    const cancel = new AbortController();
    const waiting = devices.operator.files.mkdir('made-later', { signal: cancel.signal });
    waiting.catch(() => undefined);
    const pending = await agent.pendingApproval('files.mkdir');

    const { records, more } = await devices.operator.audit.recent({ limit: 5 });
    expect(more).toBe(false);
    expect(records.map((record) => record.op)).toEqual(['exec', 'files.stat']);
    expect(records[0]).toMatchObject({ device: { name: 'assistant' }, role: 'operator', decision: 'allowed', result: 'ok', target: 'echo <SECRET:install-env:DATABASE_PASSWORD:4b…9b>' });
    expect(records[0]!.seq).toBeGreaterThan(records[1]!.seq);
    expect((await agent.approvals()).find((approval) => approval.id === pending.id)?.state).toBe('pending');

    cancel.abort();
    await expect(waiting).rejects.toMatchObject({ kind: 'interrupted' });
  });

  it('a secret that became known after its line was written reaches no device, the raw-secrets approver neither; older pages with `before`', async () => {
    // The shared folder gets a .env naming the value: from now on it is a secret (found on the next walk of the roots).
    await writeFile(join(agent.root, '.env'), `REPORT_SIGNING_SECRET=${LATER}\n`);
    const onDisk = await readFile(join(agent.env.XDG_STATE_HOME!, 'openmates', 'remote', 'audit.jsonl'), 'utf8');
    expect(onDisk, 'the line was written before the value was a secret').toContain(LATER);
    expect(onDisk).not.toContain(PASSWORD);

    const deadline = Date.now() + 30_000;
    let answers: string[] = [];
    for (;;) {
      // A command makes the agent look at the roots again.
      await devices.operator.exec('true').result;
      answers = await Promise.all(Object.values(devices).map(async (server) => JSON.stringify(await server.audit.recent({ limit: 500 }))));
      if (answers.every((answer) => !answer.includes(LATER)) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    for (const answer of answers) {
      expect(answer).not.toContain(LATER);
      expect(answer).not.toContain(PASSWORD);
      expect(answer).toContain('report-<SECRET:root-env:REPORT_SIGNING_SECRET:mi…es>.txt');
    }

    const newest = await devices.approver.audit.recent({ limit: 2 });
    expect(newest.more).toBe(true);
    const older = await devices.approver.audit.recent({ limit: 500, before: newest.records.at(-1)!.seq });
    expect(older.records[0]!.seq).toBe(newest.records.at(-1)!.seq - 1);
    expect(older.records.at(-1)!.seq).toBe(1);
    expect(older.more).toBe(false);
  });

  it('`openmates remote audit` prints the same records: oldest of them first as lines, --json newest first; a bad --limit is exit 2', async () => {
    const lines = await agent.cli(['remote', '--link-file', operatorLink, 'audit', '--limit', '3']);
    expect(lines.exitCode, lines.stderr).toBe(0);
    const printed = lines.stdout.trimEnd().split('\n');
    expect(printed).toHaveLength(3);
    expect(printed.every((line) => / assistant \(operator\)  | phone \(approver\)  | owner \(approver\)  /.test(line))).toBe(true);
    expect(lines.stderr).toContain('The latest 3; older ones are in the log');
    const json = await agent.cli(['remote', '--link-file', operatorLink, 'audit', '--json', '--limit', '500']);
    expect(json.exitCode, json.stderr).toBe(0);
    const records = json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; seq?: number; more?: boolean });
    expect(records.at(-1)).toMatchObject({ type: 'result', more: false });
    const seqs = records.filter((record) => record.type === 'record').map((record) => record.seq!);
    expect(seqs.at(-1)).toBe(1);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    expect(json.stdout).not.toContain(LATER);
    expect(json.stdout).not.toContain(PASSWORD);
    const bad = await agent.cli(['remote', '--link-file', operatorLink, 'audit', '--limit', 'lots']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--limit takes a number from 1 to 500, not "lots"');
  });
});
