import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type RemoteServer, type RemoteTerminal } from '../../src/remote/sdk/index.js';
import type { AuditLine } from '../../src/remote/protocol/audit-line.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';

/** Reads a terminal's output in the background; `until` waits for a pattern in all of it. */
function watch(terminal: RemoteTerminal, after?: number) {
  const parts: Buffer[] = [];
  const sizes: string[] = [];
  let missed = 0;
  const stop = new AbortController();
  const done = (async () => {
    for await (const item of terminal.output({ signal: stop.signal, ...(after === undefined ? {} : { after }) })) {
      if (item.type === 'output') parts.push(Buffer.from(item.bytes));
      else if (item.type === 'size') sizes.push(`${item.cols}x${item.rows}`);
      else missed += item.bytes;
    }
  })();
  done.catch(() => undefined);
  const bytes = () => Buffer.concat(parts);
  const text = () => bytes().toString('utf8');
  return {
    bytes,
    text,
    sizes,
    missed: () => missed,
    done,
    stop: () => stop.abort(),
    async until(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = text().match(pattern);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in the terminal; it shows:\n${text().slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

async function readAuditLines(agent: AgentProcess): Promise<AuditLine[]> {
  const text = await readFile(join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditLine);
}

const sh = (server: RemoteServer) => server.terminal.create({ shell: '/bin/sh', cols: 80, rows: 24 });

describe('remote terminals through the SDK, against a real agent and PTY', () => {
  let agent: AgentProcess;
  let laptop: RemoteServer;
  let phone: RemoteServer;

  beforeAll(async () => {
    // A secret the agent knows from the start (a .env file in the shared folder).
    agent = await startAgentProcess({ safetyMode: 'off', prepare: (home) => writeFile(join(home, 'shared', '.env'), 'DB_PASSWORD=terminal-secret-4f9a1c77e2\n') });
    laptop = await connect(await readFile(await agent.addDevice('laptop'), 'utf8'));
    phone = await connect(await readFile(await agent.addDevice('phone', 'approver'), 'utf8'));
  }, 120_000);
  afterAll(async () => {
    laptop?.close();
    phone?.close();
    await agent?.stop();
  });

  it('opens a shell in the shared folder, runs what is typed, resizes it, interrupts a program, and reports its exit code', async () => {
    const terminal = await sh(laptop);
    expect(terminal.info).toMatchObject({ shell: '/bin/sh', cwd: agent.root, cols: 80, rows: 24, device: { name: 'laptop' } });
    const output = watch(terminal);
    await terminal.write('pwd; echo "sum-$((6*7))"\r');
    await output.until(/sum-42/);
    expect(output.text()).toContain(agent.root);

    await terminal.resize(132, 40);
    await terminal.write('stty size\r');
    await output.until(/40 132/);
    expect(output.sizes).toContain('132x40');

    await terminal.write('sleep 100; echo "after-$((1+1))"\r');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await terminal.signal('INT');
    await terminal.write('echo "back-$((2+2))"\r');
    await output.until(/back-4/, 5_000);
    expect(output.text()).not.toContain('after-2');

    await terminal.write('exit 3\r');
    await expect(terminal.exited).resolves.toEqual({ exitCode: 3 });
    await output.done;
    const ended = (await laptop.terminal.list()).find((info) => info.id === terminal.id);
    expect(ended?.exit).toEqual({ exitCode: 3 });
  });

  it('Ctrl-C typed as a byte reaches the program in the foreground, as it does in a local terminal', async () => {
    const terminal = await sh(laptop);
    const output = watch(terminal);
    await terminal.write('sleep 100\r');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await terminal.write('\u0003');
    await terminal.write('echo "ok-$((3*3))"\r');
    await output.until(/ok-9/, 5_000);
    await terminal.close();
  });

  it('another device watches a terminal read-only: it sees the output, its keystrokes are refused', async () => {
    const terminal = await sh(laptop);
    await terminal.write('echo "seen-$((5*5))"\r');
    const watching = await phone.terminal.attach(terminal.id);
    const seen = watch(watching);
    await seen.until(/seen-25/);
    await expect(watching.write('echo typed-by-phone\r')).rejects.toMatchObject({ code: 'refused', message: expect.stringContaining('opened by laptop') });
    await expect(watching.close()).rejects.toMatchObject({ code: 'refused' });
    expect((await laptop.terminal.list()).find((info) => info.id === terminal.id)?.attached).toContain('phone');
    seen.stop();
    await terminal.close();
  });

  it('a reader that comes back with what it had gets exactly the rest, once; 20 MB arrive byte-exact under the credit window', async () => {
    const big = join(agent.root, 'big.bin');
    await writeFile(big, Buffer.alloc(20 * 1024 * 1024, 0).map((_, i) => 32 + (i * 7919) % 95));
    const terminal = await sh(laptop);
    const first = watch(terminal);
    // Raw mode: the bytes pass the PTY as they are (no \n → \r\n); the markers are made by printf, so their echo differs.
    await terminal.write("stty raw -echo; printf '\\101\\102\\103'; cat big.bin; printf '\\104\\105\\106'; stty sane\r");
    await first.until(/ABC/);
    first.stop();
    await first.done;
    const had = terminal.received;
    const rest = watch(terminal, had);
    await rest.until(/DEF/, 120_000);
    rest.stop();
    const all = Buffer.concat([first.bytes(), rest.bytes()]).toString('latin1');
    const between = all.slice(all.indexOf('ABC') + 3, all.indexOf('DEF'));
    expect(between.length).toBe(20 * 1024 * 1024);
    expect(createHash('sha256').update(between, 'latin1').digest('hex')).toBe(createHash('sha256').update(await readFile(big)).digest('hex'));
    await terminal.close();
  }, 180_000);

  it('the scrollback (history) has what the terminal wrote', async () => {
    const terminal = await sh(laptop);
    const output = watch(terminal);
    await terminal.write('echo "hist-$((4*4))"\r');
    await output.until(/hist-16/);
    const history = await terminal.history();
    expect(history.seq).toBe(0);
    expect(Buffer.from(history.bytes).toString()).toContain('hist-16');
    await terminal.close();
  });

  it("an operator's terminal shows secrets as tokens and its shell gets no secret variables of the agent", async () => {
    const terminal = await sh(laptop);
    const output = watch(terminal);
    await terminal.write('cat .env; echo "done-$((7*7))"\r');
    await output.until(/done-49/);
    expect(output.text()).not.toContain('terminal-secret-4f9a1c77e2');
    expect(output.text()).toMatch(/DB_PASSWORD=<SECRET:/);
    // Its recording is redacted too.
    await terminal.write('exit\r');
    await terminal.exited;
    const recordings = JSON.parse((await agent.cli(['remote-access', 'recordings', '--json'])).stdout) as { recordings: { name: string; path: string }[] };
    const castFile = recordings.recordings.find((info) => info.name === terminal.info.recording)!.path;
    // The recorder writes behind the session; its last lines land once the shell has ended.
    const castText = async () => (await readFile(castFile, 'utf8')).split('\n').slice(1).filter(Boolean).map((line) => (JSON.parse(line) as [number, string, string])[2]).join('');
    const until = Date.now() + 10_000;
    while (!(await castText()).includes('done-49') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await castText()).toContain('done-49');
    expect(await castText()).toMatch(/DB_PASSWORD=<SECRET:/);
    expect(await readFile(castFile, 'utf8')).not.toContain('terminal-secret-4f9a1c77e2');
    // The approver added without --raw-secrets sees tokens too, in the scrollback as well.
    expect(Buffer.from((await (await phone.terminal.attach(terminal.id)).history()).bytes).toString()).not.toContain('terminal-secret-4f9a1c77e2');
  });

  it('audits the opening and the end (with the exit code), not each keystroke', async () => {
    const terminal = await sh(laptop);
    const output = watch(terminal);
    await terminal.write('echo audited\r');
    await output.until(/audited/);
    await terminal.write('exit 5\r');
    await terminal.exited;
    const deadline = Date.now() + 10_000;
    let lines = await readAuditLines(agent);
    while (!lines.some((line) => line.op === 'terminal.ended' && line.target.startsWith(terminal.id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lines = await readAuditLines(agent);
    }
    const mine = lines.filter((line) => line.target.startsWith(terminal.id));
    expect(mine.map((line) => line.op)).toEqual(expect.arrayContaining(['terminal.create', 'terminal.attach', 'terminal.ended']));
    expect(mine.some((line) => line.op === 'terminal.write')).toBe(false);
    const ended = mine.find((line) => line.op === 'terminal.ended')!;
    expect(ended.target).toContain('exit 5');
    // The session's recording: linked from its audit line, listed, an asciicast v2 file with what was typed and shown.
    expect(ended.recording).toBe(terminal.info.recording);
    const listed = await agent.cli(['remote-access', 'recordings', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const recording = (JSON.parse(listed.stdout) as { recordings: { name: string; path: string; terminal: string }[] }).recordings.find((info) => info.name === ended.recording);
    expect(recording).toMatchObject({ terminal: terminal.id });
    const cast = (await readFile(recording!.path, 'utf8')).split('\n').filter(Boolean);
    expect(JSON.parse(cast[0]!)).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(cast.slice(1).map((line) => (JSON.parse(line) as [number, string, string])[2]).join('')).toContain('audited');
  });

  it('a shell that does not exist is a clear error, and nothing is left running', async () => {
    await expect(laptop.terminal.create({ shell: '/no/such/shell', cols: 80, rows: 24 })).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('/no/such/shell') });
    await expect(laptop.terminal.create({ cwd: '/etc', cols: 80, rows: 24 })).rejects.toMatchObject({ code: 'refused' });
  });
});

describe('terminals in safety mode, across a relay restart and an agent restart', () => {
  let relay: RelayProcess;
  let agent: AgentProcess;
  let laptopLink: string;
  let phoneLink: string;

  beforeAll(async () => {
    relay = await startRelayProcess();
    agent = await startAgentProcess({ safetyMode: 'on', relay: relay.url });
    laptopLink = await readFile(await agent.addDevice('laptop'), 'utf8');
    phoneLink = await readFile(await agent.addDevice('phone', 'approver'), 'utf8');
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
  });

  it('opening a terminal is one approval that says commands are not checked one by one; what is typed then runs without asking', async () => {
    const laptop = await connect(laptopLink);
    const phone = await connect(phoneLink);
    try {
      const opening = laptop.terminal.create({ shell: '/bin/sh', cols: 80, rows: 24 });
      const pending = await agent.pendingApproval('terminal.create');
      expect(pending.details).toEqual({ kind: 'terminal', shell: '/bin/sh', cwd: agent.root, warning: 'A shell runs whatever is typed into it; commands are not checked one by one.' });
      expect(pending.forSessionAllowed).toBe(false);
      await phone.approvals.decide({ id: pending.id, hash: pending.hash, decision: 'approve' });
      const terminal = await opening;
      const output = watch(terminal);
      await terminal.write('touch made-in-shell; echo "ran-$((8*8))"\r');
      await output.until(/ran-64/);
      // Watching needs no approval.
      const watching = watch(await phone.terminal.attach(terminal.id));
      await watching.until(/ran-64/);
      expect((await agent.approvals()).filter((approval) => approval.op === 'terminal.create')).toHaveLength(1);
      await terminal.close();
    } finally {
      laptop.close();
      phone.close();
    }
  });

  it('the relay killed and restarted: the output goes on from the last byte received, every line exactly once', async () => {
    const laptop = await connect(laptopLink, { reconnect: true });
    const phone = await connect(phoneLink);
    try {
      const opening = laptop.terminal.create({ shell: '/bin/sh', cols: 80, rows: 24 });
      const pending = await agent.pendingApproval('terminal.create');
      await phone.approvals.decide({ id: pending.id, hash: pending.hash, decision: 'approve' });
      phone.close();
      const terminal = await opening;
      const output = watch(terminal);
      await terminal.write('for i in $(seq 1 300); do echo "n-$i-n"; sleep 0.02; done; echo "fin-$((9*9))"\r');
      await output.until(/n-50-n/);
      await relay.stop('SIGKILL');
      await relay.restart();
      await output.until(/fin-81/, 90_000);
      const numbers = [...output.text().matchAll(/^n-(\d+)-n\r?$/gm)].map((match) => Number(match[1]));
      expect(numbers).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect(output.missed()).toBe(0);
      await terminal.close();
    } finally {
      laptop.close();
    }
  }, 180_000);

  it('the agent stopping ends its terminals, and the reader hears why', async () => {
    const laptop = await connect(laptopLink);
    const phone = await connect(phoneLink);
    const opening = laptop.terminal.create({ shell: '/bin/sh', cols: 80, rows: 24 });
    const pending = await agent.pendingApproval('terminal.create');
    await phone.approvals.decide({ id: pending.id, hash: pending.hash, decision: 'approve' });
    const terminal = await opening;
    const output = watch(terminal);
    await terminal.write('echo "alive-$((2*5))"\r');
    await output.until(/alive-10/);
    await agent.stop();
    await expect(output.done).rejects.toMatchObject({ message: expect.stringMatching(/agent stopped, and its terminals ended/) });
    laptop.close();
    phone.close();
    await agent.restart();
    const again = await connect(laptopLink);
    try {
      expect(await again.terminal.list()).toEqual([]);
      await expect(again.terminal.attach(terminal.id)).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('agent restarted') });
    } finally {
      again.close();
    }
  }, 120_000);
});
