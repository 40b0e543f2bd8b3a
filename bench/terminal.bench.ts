/**
 * `npm run bench terminal`: an interactive terminal through openmates against `ssh -tt` to a
 * private sshd on loopback. Two figures per path:
 *   - keystroke echo: one byte written, the time until it comes back from `cat` in a remote PTY
 *     set `stty raw -echo` (ECHO_SAMPLES samples, one at a time; p50 / p99);
 *   - bulk output: `head -c 50000000 /dev/zero | base64` (67 MB of text) until a marker after it, MB/s.
 * Paths: `ssh -tt` and `openmates remote shell` (the built CLI), each run by node-pty in a local
 * PTY and read byte by byte the same way; the CLI directly and through a real `openmates relay`
 * process, as a device that sees secrets (an approver with --raw-secrets: output as it is) and as
 * an operator (output through the redactor). Also the SDK alone (`server.terminal`, the code the
 * CLI runs, no local PTY) on both paths. The agent, the relay, sshd and this process share the
 * machine (and its cores).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPty, type PtyProcess } from '../src/core/terminals/load-pty.js';
import { formatLink, parseLink } from '../src/remote/link.js';
import { connect, type RemoteTerminal } from '../src/remote/sdk/index.js';
import { CLI_BIN, HERMETIC_UPDATE_CHECK, isolatedHome } from '../test/e2e/harness/index.js';
import { startAgentProcess } from '../test/e2e/remote-agent-process.js';
import { startRelayProcess } from '../test/e2e/relay-process.js';
import { startPrivateSshd } from './private-sshd.js';

const ECHO_SAMPLES = Number(process.env.TERMINAL_BENCH_ECHO_SAMPLES ?? 300);
const BULK_RUNS = Number(process.env.TERMINAL_BENCH_BULK_RUNS ?? 3);
const BULK_COMMAND = "head -c 50000000 /dev/zero | base64; printf 'DONE%s\\n' MARK\r";
const ECHO_COMMAND = "stty raw -echo; printf 'READY%s\\n' MARK; exec cat\r";
const MB = 1000 * 1000;

/** One terminal as the bench drives it: keys in, bytes out, whatever carries them. */
interface BenchTerminal {
  write(data: string): void;
  /** Resolves once the output (from now on) contains `marker`; counts the bytes until then. */
  waitFor(marker: string, timeoutMs?: number): Promise<{ bytes: number }>;
  close(): Promise<void>;
}

/** Output watcher shared by both kinds: looks for the marker across chunk boundaries without keeping the output. */
function outputWatcher() {
  let wanted: { marker: string; tail: string; bytes: number; resolve: (value: { bytes: number }) => void; reject: (error: Error) => void } | undefined;
  let failed: Error | undefined;
  return {
    /** The output ended with an error: what waits (and what will) hears it at once. */
    fail(error: Error) {
      failed = error;
      wanted?.reject(error);
      wanted = undefined;
    },
    feed(chunk: Uint8Array) {
      if (!wanted) return;
      wanted.bytes += chunk.byteLength;
      const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const length = wanted.marker.length;
      const across = wanted.tail + view.subarray(0, length).toString('latin1');
      if (view.indexOf(wanted.marker) >= 0 || across.includes(wanted.marker)) {
        const done = wanted;
        wanted = undefined;
        done.resolve({ bytes: done.bytes });
        return;
      }
      wanted.tail = (wanted.tail + view.subarray(-length).toString('latin1')).slice(-length);
    },
    waitFor(marker: string, timeoutMs = 120_000): Promise<{ bytes: number }> {
      return new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        const timer = setTimeout(() => reject(new Error(`no ${marker} within ${timeoutMs} ms`)), timeoutMs);
        wanted = {
          marker,
          tail: '',
          bytes: 0,
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
      });
    },
  };
}

async function ptyTerminal(file: string, args: string[], env: Record<string, string>): Promise<BenchTerminal> {
  const pty = await loadPty();
  const child: PtyProcess = pty.spawn(file, args, { name: 'xterm-256color', cols: 120, rows: 40, env: { ...process.env, ...env } as Record<string, string>, encoding: null });
  const watcher = outputWatcher();
  child.onData((data) => watcher.feed(typeof data === 'string' ? Buffer.from(data) : data));
  const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
  return {
    write: (data) => child.write(data),
    waitFor: (marker, timeoutMs) => watcher.waitFor(marker, timeoutMs),
    async close() {
      child.kill('SIGHUP');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    },
  };
}

async function sdkTerminal(link: string): Promise<BenchTerminal> {
  const server = await connect(link);
  const terminal: RemoteTerminal = await server.terminal.create({ cols: 120, rows: 40, shell: '/bin/sh' });
  const watcher = outputWatcher();
  const reading = (async () => {
    for await (const item of terminal.output()) if (item.type === 'output') watcher.feed(item.bytes);
  })().catch((error: unknown) => watcher.fail(error instanceof Error ? error : new Error(String(error))));
  return {
    write: (data) => void terminal.write(data),
    waitFor: (marker, timeoutMs) => watcher.waitFor(marker, timeoutMs),
    async close() {
      await terminal.close().catch(() => undefined);
      await reading;
      server.close();
    },
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface BenchPath {
  label: string;
  open: () => Promise<BenchTerminal>;
}

interface PathResult {
  label: string;
  p50: number;
  p99: number;
  mbps: number;
  rates: number[];
}

/** A terminal whose remote side runs `cat` in raw mode: each byte written comes straight back. */
async function openEcho(path: BenchPath): Promise<BenchTerminal> {
  const terminal = await path.open();
  // A shell prints its prompt when it likes: the marker says the cat is running, raw and silent.
  const ready = terminal.waitFor('READYMARK', 30_000);
  terminal.write(ECHO_COMMAND);
  await ready;
  return terminal;
}

async function echoSample(terminal: BenchTerminal, index: number): Promise<number> {
  const key = String.fromCharCode(97 + (index % 26));
  const back = terminal.waitFor(key, 10_000);
  const sent = performance.now();
  terminal.write(key);
  await back;
  return performance.now() - sent;
}

/** One bulk run on a terminal of its own (a fresh shell): MB/s until the marker after the output. */
async function bulkRun(path: BenchPath): Promise<number> {
  const terminal = await path.open();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const done = terminal.waitFor('DONEMARK', 120_000);
  const started = performance.now();
  terminal.write(BULK_COMMAND);
  const { bytes } = await done.catch((error: Error) => {
    throw new Error(`${path.label}: ${error.message}`);
  });
  const rate = bytes / MB / ((performance.now() - started) / 1000);
  await terminal.close();
  return rate;
}

/**
 * Every path at once, in alternating rounds (each round in another order), so that a neighbour's
 * burst on the shared machine hits all paths alike: echo samples pooled over the rounds, bulk runs
 * one path after the other.
 */
async function measureAll(paths: BenchPath[]): Promise<PathResult[]> {
  const echoes = [];
  for (const path of paths) echoes.push(await openEcho(path));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const samples: number[][] = paths.map(() => []);
  const rounds = 10;
  const order = (round: number) => paths.map((_, index) => (index + round) % paths.length);
  for (let warm = 0; warm < 10; warm++) for (const terminal of echoes) await echoSample(terminal, warm);
  for (let round = 0; round < rounds; round++) {
    for (const index of order(round)) {
      for (let i = 0; i < Math.ceil(ECHO_SAMPLES / rounds); i++) samples[index]!.push(await echoSample(echoes[index]!, i));
    }
  }
  for (const terminal of echoes) await terminal.close();
  const rates: number[][] = paths.map(() => []);
  for (let run = 0; run < BULK_RUNS; run++) {
    for (const index of order(run)) {
      rates[index]!.push(await bulkRun(paths[index]!));
      if (process.env.TERMINAL_BENCH_VERBOSE) console.log(`    bulk ${paths[index]!.label}: ${rates[index]!.at(-1)!.toFixed(1)} MB/s`);
    }
  }
  return paths.map((path, index) => {
    const sorted = [...samples[index]!].sort((a, b) => a - b);
    const runs = [...rates[index]!].sort((a, b) => a - b);
    return { label: path.label, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), mbps: runs[Math.floor(runs.length / 2)]!, rates: rates[index]! };
  });
}

function printRow(row: PathResult): void {
  console.log(`  ${row.label.padEnd(44)} echo p50 ${row.p50.toFixed(2).padStart(6)} ms  p99 ${row.p99.toFixed(2).padStart(6)} ms   bulk ${row.mbps.toFixed(0).padStart(4)} MB/s (runs ${row.rates.map((rate) => rate.toFixed(0)).join(', ')})`);
}

export async function benchTerminal(): Promise<void> {
  const relay = await startRelayProcess();
  const agent = await startAgentProcess({ safetyMode: 'dev-server', relay: relay.url, env: { SHELL: '/bin/sh' } });
  const sshd = await startPrivateSshd();
  try {
    await sshd.warm();
    // An operator sees output redacted (secrets held back until they can be told apart, 25 ms at
    // most: every echoed key waits that long); an approver added with --raw-secrets sees it as it is.
    const operatorRelayFile = await agent.addDevice('bench-operator');
    const raw = await agent.cli(['remote-access', 'devices', 'add', 'bench-raw', '--role', 'approver', '--raw-secrets', '--json']);
    if (raw.exitCode !== 0) throw new Error(raw.stderr);
    const rawRelayLink = (JSON.parse(raw.stdout) as { link: string }).link;
    const directUrl = /listening on (\S+)/.exec(agent.stderr())![1]!;
    const linkFile = async (name: string, link: string) => {
      const file = join(agent.home, `${name}.link`);
      await writeFile(file, link, { mode: 0o600 });
      return file;
    };
    const direct = (link: string) => formatLink({ ...parseLink(link), url: directUrl });
    const operatorDirect = direct(await readFile(operatorRelayFile, 'utf8'));
    const rawDirect = direct(rawRelayLink);
    const cliEnv = { ...isolatedHome(), ...HERMETIC_UPDATE_CHECK, NO_COLOR: '1' };
    const cli = (file: string) => () => ptyTerminal(process.execPath, [CLI_BIN, 'remote', '--link-file', file, 'shell', '--shell', '/bin/sh'], cliEnv);

    console.log(`\nTerminal: keystroke echo (${ECHO_SAMPLES} bytes, one at a time, cat in a raw remote PTY) and bulk output (50 MB of zeros as base64, ${BULK_RUNS} runs, median), on loopback; the paths alternate, in rounds`);
    const [ssh, ...rows] = await measureAll([
      { label: 'ssh -tt (in a local PTY)', open: () => ptyTerminal('ssh', ['-tt', ...sshd.sshArgs], {}) },
      { label: 'CLI in a PTY, direct, raw secrets', open: cli(await linkFile('raw-direct', rawDirect)) },
      { label: 'CLI in a PTY, via relay, raw secrets', open: cli(await linkFile('raw-relay', rawRelayLink)) },
      { label: 'CLI in a PTY, direct, operator (redacted)', open: cli(await linkFile('operator-direct', operatorDirect)) },
      { label: 'CLI in a PTY, via relay, operator (redacted)', open: cli(operatorRelayFile) },
      { label: 'SDK (no local PTY), direct, raw secrets', open: () => sdkTerminal(rawDirect) },
      { label: 'SDK (no local PTY), via relay, raw secrets', open: () => sdkTerminal(rawRelayLink) },
    ]);
    for (const row of [ssh!, ...rows]) printRow(row);
    console.log('  ratios against ssh -tt (goal: echo p99 ≤ 1.2×, bulk ≥ 0.7×)');
    for (const row of rows) {
      console.log(`    ${row.label.padEnd(44)} echo p50 ${(row.p50 / ssh!.p50).toFixed(2)}×  p99 ${(row.p99 / ssh!.p99).toFixed(2)}×   bulk ${(row.mbps / ssh!.mbps).toFixed(2)}×`);
    }
  } finally {
    await sshd.close();
    await agent.stop();
    await relay.stop();
  }
}
