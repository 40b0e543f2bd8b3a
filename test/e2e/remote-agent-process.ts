import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { CLI_BIN, cliEnv, runCli, type CliResult } from './harness/index.js';

/** A real `openmates remote-access start` process with its own state, config and runtime dirs. */
export interface AgentProcess {
  home: string;
  root: string;
  env: Record<string, string>;
  /** The agent process now (a new one after restart()). */
  readonly process: ResultPromise;
  stderr(): string;
  /** Runs the CLI with this agent's dirs (remote-access devices add, remote ... with a link file). */
  cli(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** A new device's link, written to a 0600 file; returns the file. */
  addDevice(name: string, role?: 'operator' | 'approver'): Promise<string>;
  stop(): Promise<void>;
  /** Starts the agent again with the same dirs (after stop(), or after it stopped by itself). */
  restart(): Promise<void>;
}

/** `relay`: the agent runs with `--relay URL`, and start (and restart) waits until the link is up. */
export async function startAgentProcess(options: { safetyMode: 'on' | 'off' | 'dev-server'; args?: string[]; env?: Record<string, string>; relay?: string }): Promise<AgentProcess> {
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
  let stderr = '';
  const spawn = async () => {
    const started = execa(process.execPath, [CLI_BIN, 'remote-access', 'start', '--listen', '127.0.0.1:0', ...(options.safetyMode === 'dev-server' ? ['--dev-server'] : []), ...(options.relay ? ['--relay', options.relay] : []), ...(options.args ?? [])], {
      cwd: root,
      env,
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
    });
    const from = stderr.length;
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!/listening on/.test(stderr.slice(from)) || (options.relay !== undefined && !/Relay: connected/.test(stderr.slice(from)))) {
      if (started.exitCode !== null || Date.now() > deadline) throw new Error(`the agent did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Wrapped: an async function returning the (thenable) process would wait for it to end.
    return { started };
  };
  let child = (await spawn()).started;
  return {
    home,
    root,
    env,
    get process() {
      return child;
    },
    stderr: () => stderr,
    cli,
    async restart() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await child;
      }
      child = (await spawn()).started;
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
