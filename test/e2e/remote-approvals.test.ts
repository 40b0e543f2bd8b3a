import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Approval, type ApprovalNotice } from '../../src/remote/sdk/index.js';
import { CLI_BIN, type CliResult } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

/** Safety mode on, a real agent process, an operator (the assistant) and an approver (the phone). */
describe('remote approvals: a change waits for a person, the first answer wins, nothing runs unapproved', () => {
  let agent: AgentProcess;
  let operatorLink: string;
  let approverLink: string;
  const remote = (args: string[], input?: string) => agent.cli(['remote', '--link-file', operatorLink, ...args], input === undefined ? {} : { input });
  const approvals = () => agent.approvals();
  const pending = (op: string) => agent.pendingApproval(op);
  const auditRecords = async () => (await agent.cli(['remote-access', 'audit', '--json'])).stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', '/nonexistent/openmates-install'] });
    await writeFile(join(agent.root, 'notes.txt'), 'first line\nsecond line\n');
    operatorLink = await agent.addDevice('assistant', 'operator');
    approverLink = await agent.addDevice('phone', 'approver');
  });
  afterAll(async () => agent?.stop());

  it('a write waits, shows its diff in `approvals --json`, is approved and lands byte-exact', async () => {
    const content = 'first line\nsecond line, changed ✓\n';
    const put = remote(['files', 'put', 'notes.txt'], content);
    const approval = await pending('files.write');
    expect(approval).toMatchObject({ headline: expect.stringContaining('Overwrite'), device: { name: 'assistant', role: 'operator' }, targets: [expect.stringMatching(/notes\.txt$/)] });
    expect(approval.details).toMatchObject({ kind: 'write', binary: false, after: { size: Buffer.byteLength(content) } });
    expect((approval.details as { diff: string }).diff).toContain('-second line\n+second line, changed ✓\n');
    expect(await readFile(join(agent.root, 'notes.txt'), 'utf8')).toBe('first line\nsecond line\n');
    const plain = await agent.cli(['remote-access', 'approvals']);
    expect(plain.stdout).toContain(`${approval.id}  PENDING  ${approval.headline}`);
    expect(plain.stdout).toContain('+second line, changed ✓');
    const approved = await agent.cli(['remote-access', 'approve', approval.id]);
    expect(approved.exitCode, approved.stderr).toBe(0);
    const result = await put;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`waiting for approval ${approval.id}: ${approval.headline}`);
    expect(await readFile(join(agent.root, 'notes.txt'))).toEqual(Buffer.from(content));
  });

  it('approving twice: the second decision is refused and audited', async () => {
    const decided = (await approvals()).find((approval) => approval.state === 'approved')!;
    const again = await agent.cli(['remote-access', 'deny', decided.id]);
    expect(again.exitCode).toBe(17);
    expect(again.stderr).toContain(`Approval ${decided.id} is already approved`);
    const records = await auditRecords();
    expect(records).toContainEqual(expect.objectContaining({ op: 'approvals.decide', decision: 'refused', approval: expect.objectContaining({ id: decided.id, decision: 'refused' }) }));
  });

  it('deny --reason: the caller gets exit 16 naming who and why, and the file is unchanged', async () => {
    const before = await readFile(join(agent.root, 'notes.txt'));
    const rm = remote(['files', 'rm', 'notes.txt']);
    const approval = await pending('files.remove');
    expect(approval.details).toMatchObject({ kind: 'delete', files: 1, folders: 0, bytes: before.byteLength });
    const denied = await agent.cli(['remote-access', 'deny', approval.id, '--reason', 'keep the notes']);
    expect(denied.exitCode, denied.stderr).toBe(0);
    const result = await rm;
    expect(result.exitCode, result.stderr).toBe(16);
    expect(result.stderr).toMatch(/Denied by \S+ on this server \(openmates remote-access\)/);
    expect(result.stderr).toContain('keep the notes');
    expect(await readFile(join(agent.root, 'notes.txt'))).toEqual(before);
  });

  it('a write approved after the file changed under it is a conflict (18) and overwrites nothing', async () => {
    const put = remote(['files', 'put', 'notes.txt'], 'from the assistant\n');
    const approval = await pending('files.write');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(join(agent.root, 'notes.txt'), 'edited by a person on the server meanwhile\n');
    expect((await agent.cli(['remote-access', 'approve', approval.id])).exitCode).toBe(0);
    const result: CliResult = await put;
    expect(result.exitCode, result.stderr).toBe(18);
    expect(await readFile(join(agent.root, 'notes.txt'), 'utf8')).toBe('edited by a person on the server meanwhile\n');
  });

  it('through the SDK: the call stays pending, onApproval hears it, an approver device decides; an operator device cannot', async () => {
    const operator = await connect(await readFile(operatorLink, 'utf8'));
    const approver = await connect(await readFile(approverLink, 'utf8'));
    try {
      const notices: ApprovalNotice[] = [];
      let noticed!: () => void;
      const heard = new Promise<void>((resolve) => (noticed = resolve));
      const made = operator.files.mkdir('made-by-sdk', { onApproval: (notice) => (notices.push(notice), noticed()) });
      await heard;
      const [listed] = (await approver.approvals.list()).filter((approval) => approval.state === 'pending');
      expect(listed).toMatchObject({ id: notices[0]!.id, op: 'files.mkdir', details: { kind: 'mkdir' } });
      await expect(operator.approvals.list()).rejects.toMatchObject({ kind: 'refused' });
      await expect(operator.approvals.decide({ id: listed!.id, hash: listed!.hash, decision: 'approve' })).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('operator') });
      await expect(approver.approvals.decide({ id: listed!.id, hash: 'f'.repeat(64), decision: 'approve' })).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('hash mismatch') });
      const decided = await approver.approvals.decide({ id: listed!.id, hash: listed!.hash, decision: 'approve' });
      expect(decided).toMatchObject({ state: 'approved', decidedBy: { via: 'device', name: 'phone' } });
      await made;
      expect((await operator.files.stat('made-by-sdk')).type).toBe('directory');

      // A command's approval notice goes to onApproval, never into its output stream.
      const execNotices: ApprovalNotice[] = [];
      const run = operator.exec('echo made > exec.txt && echo done', { onApproval: (notice) => execNotices.push(notice) });
      const deadline = Date.now() + 30_000;
      while (execNotices.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const execApproval = (await approver.approvals.list()).find((approval) => approval.id === execNotices[0]?.id)!;
      expect(execApproval.details).toMatchObject({ kind: 'command', command: 'echo made > exec.txt && echo done', destructive: false });
      await approver.approvals.decide({ id: execApproval.id, hash: execApproval.hash, decision: 'approve' });
      const outputs: unknown[] = [];
      for await (const output of run) outputs.push(output);
      expect(outputs).toEqual([{ stream: 'stdout', text: 'done\n' }]);
      expect((await run.result).exitCode).toBe(0);
      expect(await readFile(join(agent.root, 'exec.txt'), 'utf8')).toBe('made\n');

      // Cancelled by the caller: the approval becomes 'cancelled', nothing runs.
      const abort = new AbortController();
      const watch = new AbortController();
      const watched: Approval[] = [];
      const watching = (async () => {
        for await (const approval of approver.approvals.watch({ signal: watch.signal })) {
          watched.push(approval);
          if (approval.state === 'pending') abort.abort();
          if (approval.state === 'cancelled') watch.abort();
        }
      })();
      await expect(operator.exec('touch cancelled.txt', { signal: abort.signal }).result).rejects.toMatchObject({ kind: 'interrupted' });
      await watching;
      expect(watched.map((approval) => approval.state)).toEqual(['pending', 'cancelled']);
      await expect(operator.files.stat('cancelled.txt')).rejects.toMatchObject({ kind: 'usage' });
    } finally {
      operator.close();
      approver.close();
    }
  });

  it('approvals --follow --json prints each new and decided approval as a JSON line; Ctrl-C ends it cleanly', async () => {
    const follow = execa(process.execPath, [CLI_BIN, 'remote-access', 'approvals', '--follow', '--json'], { cwd: agent.root, env: agent.env, extendEnv: false, reject: false, stdin: 'ignore' });
    let out = '';
    follow.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const lines = () => out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Approval & { type: string });
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`follow printed: ${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await until(() => lines().length > 0); // what is there already (decided ones)
    const mkdir = remote(['files', 'mkdir', 'followed']);
    await until(() => lines().some((line) => line.op === 'files.mkdir' && line.state === 'pending' && line.details.kind === 'mkdir'));
    const id = lines().find((line) => line.op === 'files.mkdir' && line.state === 'pending')!.id;
    expect((await agent.cli(['remote-access', 'deny', id])).exitCode).toBe(0);
    await until(() => lines().some((line) => line.id === id && line.state === 'denied'));
    expect((await mkdir).exitCode).toBe(16);
    expect(lines().every((line) => line.type === 'approval')).toBe(true);
    follow.kill('SIGINT');
    const ended = await follow;
    expect(ended.exitCode, ended.stderr as string).toBe(0); // as `audit --follow`: ending a follow is not a failure
  });

  it('the agent stopped with a request pending: the caller gets exit 16, and after a restart nothing ran', async () => {
    const put = remote(['files', 'put', 'late.txt'], 'should never land\n');
    await pending('files.write');
    const stop = await agent.cli(['remote-access', 'stop']);
    expect(stop.exitCode, stop.stderr).toBe(0);
    const result = await put;
    expect(result.exitCode, result.stderr).toBe(16);
    expect(result.stderr).toContain('the agent stopped');
    await agent.process;
    await agent.restart();
    expect(await approvals()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(readFile(join(agent.root, 'late.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('the audit log names each decision and who made it, and --verify passes', async () => {
    const records = await auditRecords();
    const decisions = records.filter((record) => record.op === 'approvals.decide' && record.decision === 'allowed').map((record) => (record.approval as { decision: string; by: string }));
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ decision: 'approved', by: expect.stringContaining('on this server') }),
        expect.objectContaining({ decision: 'denied', by: expect.stringContaining('on this server') }),
        expect.objectContaining({ decision: 'approved', by: 'phone' }),
        expect.objectContaining({ decision: 'cancelled' }),
        expect.objectContaining({ decision: 'denied', by: 'the agent' }),
      ]),
    );
    const plain = await agent.cli(['remote-access', 'audit']);
    expect(plain.stdout).toMatch(/approval [a-z2-9]{6} approved by phone/);
    const verify = await agent.cli(['remote-access', 'audit', '--verify']);
    expect(verify.exitCode, verify.stderr).toBe(0);
  });
});
