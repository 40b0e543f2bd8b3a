import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { Approval } from '../../src/remote/protocol/approvals.js';
import { CLI_BIN, cliEnv, runCli, type CliResult } from './harness/index.js';

/** A real `openmates remote-access start` process with its own state, config and runtime dirs. */
export interface AgentProcess {
  home: string;
  root: string;
  env: Record<string, string>;
  /** The agent process now (a new one after restart()). */
  readonly process: ResultPromise;
  stderr(): string;
  /** What the agent printed on stdout (with --json: its JSON lines, the ready line first). */
  stdout(): string;
  /** Runs the CLI with this agent's dirs (remote-access devices add, remote ... with a link file). */
  cli(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** A new device's link, written to a 0600 file; returns the file. */
  addDevice(name: string, role?: 'operator' | 'approver'): Promise<string>;
  /** What `remote-access approvals --json` lists (throws when it fails). */
  approvals(): Promise<Approval[]>;
  /** The first pending approval (of `op`, when given), once a waiting caller has asked; throws after 60 s. */
  pendingApproval(op?: string): Promise<Approval>;
  stop(): Promise<void>;
  /** Starts the agent again with the same dirs (after stop(), or after it stopped by itself). */
  restart(): Promise<void>;
}

export async function startAgentProcess(options: {
  safetyMode: 'on' | 'off' | 'dev-server';
  args?: string[];
  env?: Record<string, string>;
  /** The agent runs with `--relay URL`, and start (and restart) waits until the link is up. */
  relay?: string;
  /** Runs before the agent starts, with its home (e.g. to write a device key file). */
  prepare?: (home: string) => Promise<void>;
  /** When the agent counts as started, from what it printed since its (re)start; default: "listening on" on stderr. */
  started?: (output: { stdout: string; stderr: string }) => boolean;
}): Promise<AgentProcess> {
  const home = await mkdtemp(join(tmpdir(), 'omt-remote-'));
  const root = join(home, 'shared');
  await mkdir(root, { recursive: true });
  await mkdir(join(home, 'run'), { recursive: true, mode: 0o700 });
  const env = {
    ...cliEnv(),
    XDG_STATE_HOME: join(home, 'state'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_RUNTIME_DIR: join(home, 'run'),
    ...options.env,
  };
  const cli = (args: string[], extra: { input?: string; env?: Record<string, string> } = {}) => runCli(args, { env: { ...env, ...extra.env }, cwd: root, ...(extra.input !== undefined ? { input: extra.input } : {}), timeoutMs: 240_000 });
  if (options.safetyMode !== 'dev-server') {
    const set = await cli(['config', 'set', 'safety-mode', options.safetyMode]);
    if (set.exitCode !== 0) throw new Error(set.stderr);
  }
  await options.prepare?.(home);
  const started = options.started ?? ((output: { stderr: string }) => /listening on/.test(output.stderr));
  let stderr = '';
  let stdout = '';
  const spawn = async () => {
    const child = execa(process.execPath, [CLI_BIN, 'remote-access', 'start', '--listen', '127.0.0.1:0', ...(options.safetyMode === 'dev-server' ? ['--dev-server'] : []), ...(options.relay ? ['--relay', options.relay] : []), ...(options.args ?? [])], {
      cwd: root,
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
    });
    const from = { stderr: stderr.length, stdout: stdout.length };
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const deadline = Date.now() + 60_000;
    const ready = () => {
      const output = { stdout: stdout.slice(from.stdout), stderr: stderr.slice(from.stderr) };
      return started(output) && (options.relay === undefined || /Relay: connected/.test(output.stderr));
    };
    while (!ready()) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the agent did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Wrapped: an async function returning the (thenable) process would wait for it to end.
    return { started: child };
  };
  let child = (await spawn()).started;
  const approvals = async (): Promise<Approval[]> => {
    const listed = await cli(['remote-access', 'approvals', '--json']);
    if (listed.exitCode !== 0) throw new Error(`remote-access approvals --json failed (${listed.exitCode}): ${listed.stderr}`);
    return (JSON.parse(listed.stdout) as { approvals: Approval[] }).approvals;
  };
  return {
    home,
    root,
    env,
    get process() {
      return child;
    },
    stderr: () => stderr,
    stdout: () => stdout,
    cli,
    async restart() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await child;
      }
      child = (await spawn()).started;
    },
    approvals,
    async pendingApproval(op) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const found = (await approvals()).find((approval) => approval.state === 'pending' && (op === undefined || approval.op === op));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no pending ${op ?? 'request'} approval; agent: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async addDevice(name, role = 'operator') {
      const added = await cli(['remote-access', 'devices', 'add', name, '--role', role, '--json']);
      if (added.exitCode !== 0) throw new Error(added.stderr);
      const file = join(home, `${name}.link`);
      await writeFile(file, (JSON.parse(added.stdout) as { link: string }).link, { mode: 0o600 });
      return file;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await child;
    },
  };
}
