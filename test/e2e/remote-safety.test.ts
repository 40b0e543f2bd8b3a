import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/remote/sdk/index.js';
import { runCli } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

const MESSAGE = 'needs approval: safety mode is on (approvals come in a later version; --dev-server runs without it)';

async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    out.push(`${path} ${entry.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs} ${await readFile(path, 'utf8')}`}`);
  }
  return out.sort();
}

describe('remote access with safety mode on: every change is refused, reads work', () => {
  let agent: AgentProcess;
  let link: string;
  const remote = (args: string[], input?: string) => agent.cli(['remote', '--link-file', link, ...args], input === undefined ? {} : { input });

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
    [['server', 'start']],
    [['server', 'stop']],
    [['server', 'restart']],
    [['server', 'update']],
  ] as [string[], string?][])('refuses %j with exit 17, changing nothing', async (args, input) => {
    const before = await snapshot(agent.root);
    const result = await remote(args, input);
    expect(result.exitCode, result.stderr).toBe(17);
    expect(result.stderr).toContain(MESSAGE);
    expect(await snapshot(agent.root)).toEqual(before);
  });

  it('refuses through the SDK too, and lets reads through', async () => {
    const server = await connect(await readFile(link, 'utf8'));
    try {
      await expect(server.files.write('sdk.txt', new TextEncoder().encode('x'))).rejects.toMatchObject({ kind: 'refused', message: MESSAGE });
      await expect(server.exec('touch sdk.txt').result).rejects.toMatchObject({ kind: 'refused' });
      expect(new TextDecoder().decode((await server.files.read('notes.txt')).bytes)).toBe('keep me\n');
      const listed = await server.exec('ls').result;
      expect(listed.stdout).toContain('notes.txt');
      expect((await server.host()).cpu.cores).toBeGreaterThan(0);
    } finally {
      server.close();
    }
    expect(await readdir(agent.root)).not.toContain('sdk.txt');
  });

  it('audits the refusals with their reason', async () => {
    const audit = await agent.cli(['remote-access', 'audit', '--json']);
    const refused = audit.stdout.trim().split('\n').map((line) => JSON.parse(line) as { decision?: string; reason?: string }).filter((record) => record.decision === 'refused');
    expect(refused.length).toBeGreaterThanOrEqual(16);
    expect(refused.every((record) => record.reason === MESSAGE)).toBe(true);
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
