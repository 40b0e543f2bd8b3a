import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Approval } from '../../src/remote/sdk/index.js';
import { runCli } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    out.push(`${path} ${entry.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs} ${await readFile(path, 'utf8')}`}`);
  }
  return out.sort();
}

describe('remote access with safety mode on: every change waits for an approval, reads work at once', () => {
  let agent: AgentProcess;
  let link: string;
  const remote = (args: string[], input?: string) => agent.cli(['remote', '--link-file', link, ...args], input === undefined ? {} : { input });
  const pendingApproval = () => agent.pendingApproval();

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', '/nonexistent/openmates-install'] });
    await writeFile(join(agent.root, 'notes.txt'), 'keep me\n');
    await mkdir(join(agent.root, 'folder'));
    await writeFile(join(agent.root, 'folder', 'inner.txt'), 'inner\n');
    link = await agent.addDevice('assistant');
  });
  afterAll(async () => agent?.stop());

  it.each([
    [['files', 'put', 'notes.txt'], 'overwritten\n'],
    [['files', 'put', 'new.txt'], 'new\n'],
    [['files', 'mkdir', 'made']],
    [['files', 'cp', 'notes.txt', 'copy.txt']],
    [['files', 'mv', 'notes.txt', 'moved.txt']],
    [['files', 'rm', 'notes.txt']],
    [['files', 'rm', '-r', 'folder']],
    [['exec', '--', 'touch created.txt']],
    [['exec', '--', 'echo x > notes.txt']],
    [['exec', '--', 'rm -rf folder']],
  ] as [string[], string?][])('%j waits for an approval; denied, it exits 16 and changes nothing', async (args, input) => {
    const before = await snapshot(agent.root);
    const running = remote(args, input);
    const approval = await pendingApproval();
    expect(await snapshot(agent.root)).toEqual(before);
    const deny = await agent.cli(['remote-access', 'deny', approval.id, '--reason', 'not in this test']);
    expect(deny.exitCode, deny.stderr).toBe(0);
    const result = await running;
    expect(result.exitCode, result.stderr).toBe(16);
    expect(result.stderr).toContain(`waiting for approval ${approval.id}`);
    expect(result.stderr).toContain('not in this test');
    expect(await snapshot(agent.root)).toEqual(before);
  });

  it.each([['start'], ['stop'], ['restart'], ['update']])('server %s without an install fails before anyone is asked (nothing to approve)', async (action) => {
    const result = await remote(['server', action]);
    expect(result.exitCode, result.stderr).toBe(10);
    expect(result.stderr).toContain('Nothing is installed');
    expect(result.stderr).not.toContain('waiting for approval');
  });

  it('through the SDK a change stays pending until its signal cancels it; reads never wait', async () => {
    const server = await connect(await readFile(link, 'utf8'));
    try {
      const abort = new AbortController();
      const write = server.files.write('sdk.txt', new TextEncoder().encode('x'), { signal: abort.signal, onApproval: () => abort.abort() });
      await expect(write).rejects.toMatchObject({ kind: 'interrupted' });
      expect(new TextDecoder().decode((await server.files.read('notes.txt')).bytes)).toBe('keep me\n');
      const listed = await server.exec('ls').result;
      expect(listed.stdout).toContain('notes.txt');
      expect((await server.host()).cpu.cores).toBeGreaterThan(0);
    } finally {
      server.close();
    }
    expect(await readdir(agent.root)).not.toContain('sdk.txt');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const listed = await agent.cli(['remote-access', 'approvals', '--json']);
    expect((JSON.parse(listed.stdout) as { approvals: Approval[] }).approvals[0]).toMatchObject({ op: 'files.write', state: 'cancelled' });
  });

  it('audits the denials with who decided and why', async () => {
    const audit = await agent.cli(['remote-access', 'audit', '--json']);
    const records = audit.stdout.trim().split('\n').map((line) => JSON.parse(line) as { op?: string; decision?: string; reason?: string; code?: string; approval?: { decision: string } });
    const denied = records.filter((record) => record.code === 'approval-denied');
    expect(denied.length).toBe(11);
    expect(denied.filter((record) => record.reason!.includes('not in this test') && record.approval?.decision === 'denied')).toHaveLength(10);
    expect(denied.every((record) => record.decision === 'refused')).toBe(true);
  });
});

describe('remote-access start without a terminal', () => {
  it('exits 9 naming both answers when safety mode was never set', async () => {
    const result = await runCli(['remote-access', 'start', '--listen', '127.0.0.1:0'], { env: { XDG_CONFIG_HOME: `/tmp/omt-unset-${process.pid}` } });
    expect(result.exitCode).toBe(9);
    expect(result.stderr).toContain('openmates config set safety-mode on|off');
    expect(result.stderr).toContain('--dev-server');
  });
});
