import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLink, formatLink } from '../../src/remote/link.js';
import { finalObject } from './json-lines.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

describe('several servers by name: remote servers add/list/rm and remote --to NAME', () => {
  let agent: AgentProcess;
  let link: string;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'off', args: ['--name', 'build-box'] });
    await writeFile(join(agent.root, 'notes.txt'), 'saved by name\n');
    link = await agent.addDevice('laptop');
  });
  afterAll(async () => agent?.stop());

  it('saves links 0600 without printing them, lists each with its state, and --to reaches the server', async () => {
    const added = await agent.cli(['remote', 'servers', 'add', 'home', '--link-file', link]);
    expect(added.exitCode, added.stderr).toBe(0);
    const key = parseLink(await readFile(link, 'utf8')).deviceSeed;
    expect(added.stdout + added.stderr).not.toContain(key);
    const gone = join(agent.home, 'gone.link');
    await writeFile(gone, formatLink({ ...parseLink(await readFile(link, 'utf8')), url: 'http://127.0.0.1:9/' }), { mode: 0o600 });
    expect((await agent.cli(['remote', 'servers', 'add', 'gone', '--link-file', gone])).exitCode).toBe(0);
    const file = join(agent.env.XDG_CONFIG_HOME!, 'openmates', 'remote-servers.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const listed = await agent.cli(['remote', 'servers', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(key);
    const { servers } = finalObject(listed.stdout) as { servers: Record<string, unknown>[] };
    expect(servers).toEqual([
      expect.objectContaining({ name: 'home', host: expect.stringMatching(/^127\.0\.0\.1:\d+$/), state: 'reachable', agent: 'build-box', safetyMode: false, device: { name: 'laptop', role: 'operator' } }),
      expect.objectContaining({ name: 'gone', host: '127.0.0.1:9', state: 'unreachable', code: 'operation-failed', reason: expect.stringContaining('Could not connect') }),
    ]);
    const human = await agent.cli(['remote', 'servers']);
    expect(human.stdout).toMatch(/home\s+127\.0\.0\.1:\d+\s+reachable: "build-box", safety mode off, you are operator "laptop"/);
    expect(human.stdout).toMatch(/gone\s+127\.0\.0\.1:9\s+unreachable: Could not connect/);

    const cat = await agent.cli(['remote', '--to', 'home', 'files', 'cat', 'notes.txt']);
    expect(cat).toMatchObject({ exitCode: 0, stdout: 'saved by name\n' });
    const exec = await agent.cli(['remote', '--to', 'home', 'exec', '--', 'echo via-name']);
    expect(exec).toMatchObject({ exitCode: 0, stdout: 'via-name\n' });
  });

  it('refuses a second server of a name and an unknown --to (naming the saved ones); rm forgets it', async () => {
    const twice = await agent.cli(['remote', 'servers', 'add', 'home', '--link-file', link]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toContain('saved already');
    const removed = await agent.cli(['remote', 'servers', 'rm', 'home']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    const unknown = await agent.cli(['remote', '--to', 'home', 'host']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('No server named "home" is saved.');
    expect(unknown.stderr).toContain('Saved servers: gone.');
  });
});
