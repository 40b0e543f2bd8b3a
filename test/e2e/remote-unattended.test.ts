import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceKeys } from '../../src/remote/channel/identity.js';
import { connect, linkFromReady, type ReadyLine } from '../../src/remote/sdk/index.js';
import { runCli } from './harness/index.js';
import { jsonLines } from './json-lines.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

const firstLine = (stdout: string) => (stdout.includes('\n') ? (JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as ReadyLine) : undefined);

describe('unattended start: --dev-server --device-key-file --json, no terminal, no question', () => {
  let agent: AgentProcess;
  let seed: string;
  const keyFile = () => join(agent.home, 'device-key.json');

  beforeAll(async () => {
    const keys = await createDeviceKeys();
    seed = keys.seed;
    agent = await startAgentProcess({
      safetyMode: 'dev-server',
      args: ['--json', '--device-key-file', '../device-key.json'],
      prepare: async (home) => {
        await writeFile(join(home, 'device-key.json'), JSON.stringify({ name: 'e2b', role: 'operator', key: keys.seed }), { mode: 0o600 });
      },
      started: ({ stdout }) => stdout.includes('\n'),
    });
  });
  afterAll(async () => agent?.stop());

  it('prints the ready line first; the maker builds the link from it and its seed, deletes the key file, and works through the SDK', async () => {
    const ready = firstLine(agent.stdout())!;
    expect(ready).toMatchObject({ type: 'ready', relay: null, safetyMode: false, device: { name: 'e2b', role: 'operator' } });
    expect(ready.agent).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(agent.stdout()).not.toContain(seed);
    await rm(keyFile());
    await writeFile(join(agent.root, 'hello.txt'), 'from the sandbox\n');
    const server = await connect(linkFromReady(ready, seed));
    try {
      expect(server.device).toMatchObject({ name: 'e2b', role: 'operator' });
      const listed = await server.files.list('.');
      expect(listed.entries.map((entry) => entry.name)).toContain('hello.txt');
      expect(new TextDecoder().decode((await server.files.read('hello.txt')).bytes)).toBe('from the sandbox\n');
    } finally {
      server.close();
    }
    const devices = await readFile(join(agent.home, 'state', 'openmates', 'remote', 'devices.json'), 'utf8');
    expect(devices).toContain('"e2b"');
    expect(devices).not.toContain(seed);
  });

  it('reuses the device with that public key on the next start (same id, one device)', async () => {
    const before = firstLine(agent.stdout())!;
    await writeFile(keyFile(), JSON.stringify({ name: 'e2b', role: 'operator', key: seed }), { mode: 0o600 });
    await agent.restart();
    const lines = jsonLines(agent.stdout()).filter((line) => line.type === 'ready') as unknown as ReadyLine[];
    expect(lines).toHaveLength(2);
    expect(lines[1]!.device!.id).toBe(before.device!.id);
    expect(lines[1]!.agent).toBe(before.agent);
    const listed = await agent.cli(['remote-access', 'devices', '--json']);
    expect((JSON.parse(listed.stdout) as { devices: unknown[] }).devices).toHaveLength(1);
  });
});

describe('unattended start through a relay: the ready line waits for the relay and carries its URL', () => {
  let relay: RelayProcess | undefined;
  let agent: AgentProcess | undefined;
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
  });

  it('the maker builds a relay link from the ready line and its seed, and works through the relay', async () => {
    relay = await startRelayProcess();
    const keys = await createDeviceKeys();
    agent = await startAgentProcess({
      safetyMode: 'dev-server',
      args: ['--json', '--device-key-file', '../device-key.json', '--relay', relay.url],
      prepare: async (home) => writeFile(join(home, 'device-key.json'), JSON.stringify({ name: 'ci', key: keys.seed }), { mode: 0o600 }),
      started: ({ stdout }) => stdout.includes('\n'),
    });
    const ready = firstLine(agent.stdout())!;
    expect(ready).toMatchObject({ type: 'ready', relay: relay.url, device: { name: 'ci', role: 'operator' } });
    await writeFile(join(agent.root, 'via-relay.txt'), 'through the relay\n');
    const server = await connect(linkFromReady(ready, keys.seed));
    try {
      expect(new TextDecoder().decode((await server.files.read('via-relay.txt')).bytes)).toBe('through the relay\n');
    } finally {
      server.close();
    }
  });
});

describe('unattended start with a bad key file or no safety answer: a clear error, its exit code, nothing started', () => {
  const start = async (content: string, extra: string[] = ['--dev-server']) => {
    const home = await mkdtemp(join(tmpdir(), 'omt-unattended-'));
    const file = join(home, 'device-key.json');
    await writeFile(file, content, { mode: 0o600 });
    const env = { XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: home };
    const result = await runCli(['remote-access', 'start', '--listen', '127.0.0.1:0', '--json', '--device-key-file', file, ...extra], { env, cwd: home, timeoutMs: 60_000 });
    const started = existsSync(join(home, 'state', 'openmates', 'remote'));
    await rm(home, { recursive: true, force: true });
    return { ...result, started };
  };

  it.each([
    ['not JSON', 'not json at all', 'is not JSON'],
    ['a bad role', JSON.stringify({ name: 'x', role: 'admin', key: 'A'.repeat(43) }), 'bad or missing field: role'],
    ['a short key', JSON.stringify({ name: 'x', key: 'A'.repeat(20) }), 'malformed key'],
  ])('%s: exit 2, the cause and the format named, no state made', async (_what, content, message) => {
    const result = await start(content);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('{"name":"e2b","role":"operator"');
    expect(result.stdout).not.toContain('"ready"');
    expect(result.started).toBe(false);
  });

  it('without --dev-server and no safety-mode answer: exit 9 naming both ways to answer, nothing asked', async () => {
    const keys = await createDeviceKeys();
    const result = await start(JSON.stringify({ name: 'ci', key: keys.seed }), []);
    expect(result.exitCode, result.stderr).toBe(9);
    expect(result.stderr).toContain('openmates config set safety-mode on|off');
    expect(result.stdout).not.toContain('"ready"');
    expect(result.stderr).not.toContain(keys.seed);
  });
});
