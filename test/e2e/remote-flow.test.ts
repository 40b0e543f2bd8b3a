import { readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalObject } from './json-lines.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

describe('remote access: start in a folder, add a device, work with it from another terminal (safety mode off)', () => {
  let agent: AgentProcess;
  let link: string;
  const remote = (args: string[], input?: string) => agent.cli(['remote', '--link-file', link, ...args], input === undefined ? {} : { input });

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'off' });
    await writeFile(join(agent.root, 'notes.txt'), 'first line\nsecond line\n');
    link = await agent.addDevice('laptop');
  });
  afterAll(async () => agent?.stop());

  it('lists, reads, writes, copies, moves, searches and removes', async () => {
    const listed = await remote(['files', 'ls', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(finalObject(listed.stdout)).toMatchObject({ entries: [expect.objectContaining({ name: 'notes.txt', type: 'file' })] });
    expect((await remote(['files', 'cat', 'notes.txt'])).stdout).toBe('first line\nsecond line\n');
    const put = await remote(['files', 'put', 'new/../written.txt'], 'from the laptop\n');
    expect(put.exitCode, put.stderr).toBe(0);
    expect(await readFile(join(agent.root, 'written.txt'), 'utf8')).toBe('from the laptop\n');
    expect((await remote(['files', 'mkdir', 'folder'])).exitCode).toBe(0);
    expect((await remote(['files', 'cp', 'written.txt', 'folder/copy.txt'])).exitCode).toBe(0);
    expect((await remote(['files', 'mv', 'folder/copy.txt', 'folder/moved.txt'])).exitCode).toBe(0);
    expect(await readFile(join(agent.root, 'folder', 'moved.txt'), 'utf8')).toBe('from the laptop\n');
    const found = await remote(['files', 'search', 'second']);
    expect(found.stdout).toContain('notes.txt:2: second line');
    expect((await remote(['files', 'rm', 'folder'])).exitCode).not.toBe(0);
    expect((await remote(['files', 'rm', '-r', 'folder'])).exitCode).toBe(0);
    expect(existsSync(join(agent.root, 'folder'))).toBe(false);
  });

  it('runs commands with sessions, streams output and exits with the command\'s code', async () => {
    const echo = await remote(['exec', '--', 'echo out; echo err >&2']);
    expect(echo).toMatchObject({ exitCode: 0, stdout: 'out\n' });
    expect(echo.stderr).toContain('err');
    expect((await remote(['exec', '--', 'exit 7'])).exitCode).toBe(7);
    expect((await remote(['exec', '--session', 'work', '--', 'mkdir -p sub && cd sub && export GREETING=hello'])).exitCode).toBe(0);
    const inSession = await remote(['exec', '--session', 'work', '--', 'pwd; echo $GREETING']);
    expect(inSession.stdout).toBe(`${join(agent.root, 'sub')}\nhello\n`);
    const otherSession = await remote(['exec', '--', 'pwd']);
    expect(otherSession.stdout).toBe(`${agent.root}\n`);
    const env = await remote(['exec', '--env', 'NAME=value', '--', 'echo $NAME']);
    expect(env.stdout).toBe('value\n');
  });

  it('reads host facts, also attached to another answer', async () => {
    const host = await remote(['host', '--json']);
    expect(host.exitCode, host.stderr).toBe(0);
    const facts = finalObject(host.stdout) as { cpu: { cores: number }; memory: { totalBytes: number } };
    expect(facts.cpu.cores).toBeGreaterThan(0);
    expect(facts.memory.totalBytes).toBeGreaterThan(0);
    const withHost = await remote(['files', 'stat', 'notes.txt', '--with-host', '--json']);
    expect(withHost.stdout).toContain('"type":"host"');
  });

  it('refuses paths outside the folder (exit 17) and audits every call, hash-chained', async () => {
    await symlink('/etc', join(agent.root, 'escape'));
    for (const path of ['../outside', '/etc/passwd', 'escape/passwd', 'sub/../../x']) {
      const result = await remote(['files', 'cat', path]);
      expect(result.exitCode, path).toBe(17);
    }
    const audit = await agent.cli(['remote-access', 'audit', '--json']);
    const records = audit.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; op?: string; device?: { name: string }; decision?: string });
    const ops = records.filter((record) => record.type === 'record');
    expect(ops.length).toBeGreaterThanOrEqual(20);
    expect(ops.every((record) => record.device?.name === 'laptop')).toBe(true);
    expect(ops.filter((record) => record.decision === 'refused').length).toBeGreaterThanOrEqual(2);
    expect(new Set(ops.map((record) => record.op))).toEqual(new Set(['files.list', 'files.read', 'files.write', 'files.mkdir', 'files.copy', 'files.move', 'files.search', 'files.remove', 'exec', 'host', 'files.stat']));
    const verified = await agent.cli(['remote-access', 'audit', '--verify']);
    expect(verified.exitCode, verified.stderr).toBe(0);
    const logFile = join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl');
    expect((await stat(logFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(logFile, 'utf8')).not.toContain((await readFile(link, 'utf8')).split('k=')[1]);
  });

  it('masks .env values and refuses private keys (17); neither secret reaches the output or the audit log', async () => {
    await writeFile(join(agent.root, '.env'), 'OPENAI_API_KEY=sk-supersecretvalue39d9\n');
    await writeFile(join(agent.root, 'id_ed25519'), '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecretkeymaterial\n-----END OPENSSH PRIVATE KEY-----\n');
    const env = await remote(['files', 'cat', '.env']);
    expect(env.exitCode, env.stderr).toBe(0);
    expect(env.stdout).toContain('OPENAI_API_KEY=');
    expect(env.stdout).toContain('39d9');
    expect(env.stdout).not.toContain('supersecret');
    const key = await remote(['files', 'cat', 'id_ed25519']);
    expect(key.exitCode).toBe(17);
    expect(key.stdout).not.toContain('secretkeymaterial');
    const audit = await readFile(join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl'), 'utf8');
    expect(audit).not.toContain('supersecret');
    expect(audit).not.toContain('secretkeymaterial');
  });

  it('status and devices reach the running agent', async () => {
    const status = finalObject((await agent.cli(['remote-access', 'status', '--json'])).stdout) as { running: boolean; safetyMode: boolean; roots: string[]; requests: number };
    expect(status).toMatchObject({ running: true, safetyMode: false, roots: [agent.root] });
    expect(status.requests).toBeGreaterThan(10);
  });

  it('a revoked device is refused at once (exit 15); stop ends the agent and removes its socket', async () => {
    await remote(['files', 'ls']);
    expect((await agent.cli(['remote-access', 'devices', 'revoke', 'laptop'])).exitCode).toBe(0);
    const refused = await remote(['files', 'ls']);
    expect(refused.exitCode).toBe(15);
    expect(refused.stderr).toContain('revoked');
    expect((await agent.cli(['remote-access', 'stop'])).exitCode).toBe(0);
    const ended = await agent.process;
    expect(ended.exitCode).toBe(0);
    const status = finalObject((await agent.cli(['remote-access', 'status', '--json'])).stdout) as { running: boolean };
    expect(status.running).toBe(false);
  });
});
