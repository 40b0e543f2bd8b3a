import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, RemoteError, type Approval, type ConnectionState } from '../../src/remote/sdk/index.js';
import { CLI_BIN, REPO_ROOT, createTestStack, runCli, type TestStack } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';

const numbers = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => Number(match[1]));
const oneToN = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

async function until(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A real relay process killed (SIGKILL) and started again on the same port while streams run
 * through it: the agent and the clients reconnect on their own, and the streams resume from their
 * last sequence number, every numbered line exactly once.
 */
describe('streams survive a relay restart: nothing lost, nothing twice', () => {
  let relay: RelayProcess;
  let agent: AgentProcess;
  let operatorLink: string;
  let approverLink: string;

  beforeAll(async () => {
    relay = await startRelayProcess();
    agent = await startAgentProcess({ safetyMode: 'on', relay: relay.url });
    operatorLink = await agent.addDevice('laptop');
    approverLink = await agent.addDevice('phone', 'approver');
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
  });

  const restartRelay = async () => {
    await relay.stop('SIGKILL');
    await relay.restart();
  };

  it('the SDK: a command\'s output and an approvals watch continue after the relay is killed and restarted', async () => {
    const server = await connect(await readFile(operatorLink, 'utf8'), { reconnect: true });
    const phone = await connect(await readFile(approverLink, 'utf8'), { reconnect: true });
    try {
      const states: ConnectionState['state'][] = [];
      server.connection.onChange((state) => states.push(state.state));
      const watching = new AbortController();
      const seen: Approval[] = [];
      const watch = (async () => {
        for await (const approval of phone.approvals.watch({ signal: watching.signal })) seen.push(approval);
      })();
      // A loop counts as a change: with safety mode on it waits until the phone approves it; then 400 numbered lines over ~8 s.
      const run = server.exec('for i in $(seq 1 400); do echo "line $i"; sleep 0.02; done');
      await until('the command\'s approval on the phone', () => seen.some((approval) => approval.op === 'exec' && approval.state === 'pending'));
      const command = seen.find((approval) => approval.op === 'exec')!;
      await phone.approvals.decide({ id: command.id, hash: command.hash, decision: 'approve' });
      // A call that cannot resume, in flight (waiting for its approval) when the relay dies.
      const inFlight = server.files.write('in-flight.txt', new TextEncoder().encode('must not land\n'), { expectedVersion: null }).catch((error: unknown) => error as RemoteError);
      await until('the in-flight write\'s approval on the phone', () => seen.some((approval) => approval.op === 'files.write' && approval.state === 'pending'));
      const write = seen.find((approval) => approval.op === 'files.write')!;
      let text = '';
      let killed = false;
      for await (const output of run) {
        text += output.text;
        if (!killed && text.includes('line 60\n')) {
          killed = true;
          void restartRelay();
        }
      }
      const result = await run.result;
      expect(result.exitCode).toBe(0);
      expect(numbers(text, /^line (\d+)$/gm)).toEqual(oneToN(400));
      expect(states).toContain('reconnecting');
      expect(server.connection.state.state).toBe('connected');
      const dropped = await inFlight;
      expect(dropped).toBeInstanceOf(RemoteError);
      expect(dropped).toMatchObject({ code: 'disconnected', message: expect.stringContaining('The connection dropped while files.write was in flight: it may or may not have run') });
      await until('the dropped write\'s approval to be cancelled', () => seen.some((approval) => approval.id === write.id && approval.state === 'cancelled'));
      await expect(readFile(join(agent.root, 'in-flight.txt'))).rejects.toMatchObject({ code: 'ENOENT' });

      // The phone's watch came back too: a change asked for now reaches it once.
      const put = server.files.write('after-restart.txt', new TextEncoder().encode('written after the restart\n'), { expectedVersion: null });
      await until('the approval on the phone', () => seen.some((approval) => approval.op === 'files.write' && approval.id !== write.id && approval.state === 'pending'));
      const pending = seen.find((approval) => approval.op === 'files.write' && approval.id !== write.id)!;
      await phone.approvals.decide({ id: pending.id, hash: pending.hash, decision: 'approve' });
      await put;
      expect(await readFile(join(agent.root, 'after-restart.txt'), 'utf8')).toBe('written after the restart\n');
      watching.abort();
      await watch;
      expect(seen.filter((approval) => approval.id === pending.id && approval.state === 'pending')).toHaveLength(1);
    } finally {
      server.close();
      phone.close();
    }
  }, 120_000);

  /** `openmates remote exec` of a counting loop, approved on the server as it asks. */
  const startCounting = async (count: number) => {
    const child = execa(process.execPath, [CLI_BIN, 'remote', '--link-file', operatorLink, 'exec', '--', `for i in $(seq 1 ${count}); do echo "line $i"; sleep 0.02; done`], { env: agent.env, extendEnv: false, reject: false, stdin: 'ignore' });
    const pending = await agent.pendingApproval('exec');
    expect((await agent.cli(['remote-access', 'approve', pending.id])).exitCode).toBe(0);
    return { child }; // wrapped: awaiting the (thenable) process itself would wait for it to end
  };

  it('`openmates remote exec` keeps printing through a relay restart, every line once, and says it reconnected', async () => {
    const { child } = await startCounting(300);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await until('the first 50 lines', () => stdout.includes('line 50\n'));
    await restartRelay();
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(numbers(stdout, /^line (\d+)$/gm)).toEqual(oneToN(300));
    expect(result.stderr).toMatch(/connection lost \(.*\): reconnecting in \d+ s/);
    expect(result.stderr).toContain('reconnected: the stream continues where it was');
  }, 120_000);

  it('Ctrl-C on a command waiting for approval cancels it at once: a resumable call is kept only for a dropped connection', async () => {
    const child = execa(process.execPath, [CLI_BIN, 'remote', '--link-file', operatorLink, 'exec', '--', 'echo never > ctrl-c.txt; echo ran'], { env: agent.env, extendEnv: false, reject: false, stdin: 'ignore' });
    const pending = await agent.pendingApproval('exec');
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const deadline = Date.now() + 10_000;
    let state = 'pending';
    while (state === 'pending' && Date.now() < deadline) {
      state = (await agent.approvals()).find((approval) => approval.id === pending.id)?.state ?? 'missing';
      if (state === 'pending') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state).toBe('cancelled');
    expect((await agent.cli(['remote-access', 'approve', pending.id])).exitCode).not.toBe(0);
  }, 60_000);

  it('a stream whose agent restarted cannot resume: the caller is told (not a silent gap, not a hang)', async () => {
    const { child } = await startCounting(3000);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await until('the first lines', () => stdout.includes('line 20\n'));
    await agent.restart();
    const result = await child;
    // The agent's sealed close ("agent stopped", exit 6) usually arrives; when the link drops first, the resume is refused (exit 19).
    expect([6, 19], result.stderr).toContain(result.exitCode);
    expect(result.stderr).toMatch(/The remote session closed \(agent stopped\)|The stream to resume is gone/);
    const seen = numbers(stdout, /^line (\d+)$/gm);
    expect(seen).toEqual(oneToN(seen.length));
  }, 120_000);
});

describe('`openmates remote server logs -f` survives a relay restart (real engine, a service writing numbered lines)', () => {
  let stack: TestStack;
  let relay: RelayProcess;
  let agent: AgentProcess;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'streams', fixtureDir: join(REPO_ROOT, 'test', 'fixtures', 'chatty-stack') });
    // chatty1 writes 300 numbered lines, 10 a second; the other services one line each.
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir, '--tag', 'latest'], { env: { CHATTY_RATE: '10', CHATTY_LINES_FIRST: '300', CHATTY_LINES: '1' } });
    expect(installed.exitCode, installed.stderr).toBe(0);
    relay = await startRelayProcess();
    agent = await startAgentProcess({ safetyMode: 'off', relay: relay.url, args: ['--path', stack.installDir] });
  }, 300_000);
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
    await stack?.cleanup();
  });

  it('follows chatty1 across the restart: lines 1…300, each once', async () => {
    const link = await agent.addDevice('laptop');
    const child = execa(process.execPath, [CLI_BIN, 'remote', '--link-file', link, 'server', 'logs', '-f', '--service', 'chatty1', '--tail', '1000'], { env: agent.env, extendEnv: false, reject: false, stdin: 'ignore' });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const lines = () => numbers(stdout, /chatty1 line (\d+) the quick/g);
    try {
      await until('the first lines of chatty1', () => lines().length > 0, 120_000);
      const before = lines().length;
      await relay.stop('SIGKILL');
      await relay.restart();
      await until('line 300 of chatty1', () => lines().includes(300), 120_000);
      expect(before, 'the relay goes down while chatty1 still writes').toBeLessThan(250);
      expect(lines()).toEqual(oneToN(300));
    } finally {
      child.kill('SIGINT');
    }
    const result = await child;
    expect(result.stderr).toContain('reconnected: the stream continues where it was');
  }, 300_000);
});
