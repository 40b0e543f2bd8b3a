import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAgentIdentity, createDeviceKeys } from '../../src/remote/channel/identity.js';
import { answerChallenge, challengeSchema } from '../../src/remote/relay/agent-proof.js';
import { formatLink, parseLink } from '../../src/remote/link.js';
import { fromBase64Url, loadSodium, toBase64Url } from '../../src/remote/sodium.js';
import { finalObject } from './json-lines.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { startTapProxy, type TapProxy } from './tap-proxy.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A real `openmates relay` and a real agent with `--relay`; every byte between them and the clients passes a tap. */
describe('remote access through a relay: outbound-only agent, the relay forwards sealed frames it cannot read', () => {
  let relay: RelayProcess;
  let tap: TapProxy;
  let agent: AgentProcess;
  let operatorLink: string;
  const secretContent = 'only the device may read this: 7c2b9e41-content\n';
  const remote = (args: string[], input?: string) => agent.cli(['remote', '--link-file', operatorLink, ...args], input === undefined ? {} : { input });
  const relayStatus = async () => (finalObject((await agent.cli(['remote-access', 'status', '--json'])).stdout) as { relay?: { state: string; reason?: string; retryInSeconds?: number } }).relay;
  const waitForRelayState = async (state: string) => {
    const deadline = Date.now() + 60_000;
    while ((await relayStatus())?.state !== state) {
      if (Date.now() > deadline) throw new Error(`the link never became ${state}: ${agent.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  beforeAll(async () => {
    const relayPort = await freePort();
    tap = await startTapProxy(relayPort);
    relay = await startRelayProcess({ port: relayPort, args: ['--public-url', tap.url] });
    agent = await startAgentProcess({ safetyMode: 'on', relay: tap.url });
    await writeFile(join(agent.root, 'secret.txt'), secretContent);
    operatorLink = await agent.addDevice('laptop');
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
    await tap?.close();
  });

  it('prints links that carry the relay, and shows the link state in status', async () => {
    expect(parseLink(await readFile(operatorLink, 'utf8')).url).toBe(tap.url);
    expect(await relayStatus()).toMatchObject({ state: 'connected' });
    expect((await agent.cli(['remote-access', 'status'])).stdout).toContain(`Relay: connected to ${tap.url}`);
    const health = (await (await fetch(`${relay.url}healthz`)).json()) as { ok: boolean; agents: number };
    expect(health).toMatchObject({ ok: true, agents: 1 });
  });

  it('serves files, commands and approvals through the relay', async () => {
    const read = await remote(['files', 'cat', 'secret.txt']);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).toBe(secretContent);
    const exec = await remote(['exec', '--', 'echo through the relay']);
    expect(exec).toMatchObject({ exitCode: 0, stdout: 'through the relay\n' });
    const put = remote(['files', 'put', 'written.txt'], 'written through the relay, approved\n');
    const pending = await agent.pendingApproval();
    expect((await agent.cli(['remote-access', 'approve', pending.id])).exitCode).toBe(0);
    expect((await put).exitCode).toBe(0);
    expect(await readFile(join(agent.root, 'written.txt'), 'utf8')).toBe('written through the relay, approved\n');
  });

  it('refuses a second agent that claims this agent id without its key, and keeps serving the real one', async () => {
    const sodium = await loadSodium();
    const agentId = parseLink(await readFile(operatorLink, 'utf8')).agentId;
    const impostor = await createAgentIdentity();
    const socket = new WebSocket(`${relay.url.replace('http', 'ws')}v1/agent`);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('message', (data: Buffer) => {
      const challenge = challengeSchema.safeParse(JSON.parse(data.toString()));
      if (!challenge.success) return;
      const proof = answerChallenge(sodium, challenge.data, { publicKey: fromBase64Url(sodium, agentId, 32)!, secretKey: impostor.secretKey })!;
      socket.send(JSON.stringify(proof));
    });
    expect(await closed).toBe(4401);
    expect(relay.output()).toContain('did not prove the key behind its id');
    expect((await remote(['files', 'cat', 'secret.txt'])).stdout).toBe(secretContent);
  });

  it('tells a client of an agent that is not connected at once', async () => {
    const other = await createDeviceKeys();
    const sodium = await loadSodium();
    const link = formatLink({ url: tap.url, agentId: toBase64Url(sodium, (await createAgentIdentity()).publicKey), deviceId: other.id, deviceSeed: other.seed });
    const file = join(agent.home, 'other.link');
    await writeFile(file, link, { mode: 0o600 });
    const result = await agent.cli(['remote', '--link-file', file, 'files', 'ls']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('not connected to the relay right now (its agent is offline)');
  });

  it('reconnects after the relay is killed and restarted; new calls work', async () => {
    await relay.stop('SIGKILL');
    await waitForRelayState('reconnecting');
    expect((await agent.cli(['remote-access', 'status'])).stdout).toMatch(/Relay: reconnecting in \d+ s/);
    const down = await remote(['files', 'ls']);
    expect(down.exitCode).not.toBe(0);
    await relay.restart();
    await waitForRelayState('connected');
    const read = await remote(['files', 'cat', 'secret.txt']);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).toBe(secretContent);
    expect(agent.stderr()).toMatch(/Relay: reconnecting in \d+ s/);
  });

  it('the relay never saw a file\'s content, an approved write\'s content or the device key', async () => {
    const seen = tap.bytes();
    expect(seen.length).toBeGreaterThan(10_000);
    const sodium = await loadSodium();
    const link = parseLink(await readFile(operatorLink, 'utf8'));
    const seed = fromBase64Url(sodium, link.deviceSeed, 32)!;
    // The capture is real: it holds what is not secret, such as the agent id in the client's URL.
    expect(seen.includes(Buffer.from(`/v1/connect/${link.agentId}`))).toBe(true);
    for (const secret of [Buffer.from(secretContent), Buffer.from('7c2b9e41'), Buffer.from('written through the relay'), Buffer.from(link.deviceSeed), Buffer.from(seed)]) {
      expect(seen.includes(secret)).toBe(false);
    }
  });

  it('tells clients at once when the agent is killed', async () => {
    agent.process.kill('SIGKILL');
    await agent.process;
    const result = await remote(['files', 'ls']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('its agent is offline');
  });
});
