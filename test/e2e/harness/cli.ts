/**
 * Runs the built CLI (node <repo>/bin/openmates.js) the way a script would: no TTY, stdin closed
 * after `input`, DOCKER_HOST of the test engine, and config/cache/state dirs of its own, so a test
 * never reads or writes the real user's.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { composeChoiceEnv, processAlive, REPO_ROOT, runPid, testEnv } from './env.js';

export const CLI_BIN = join(REPO_ROOT, 'bin', 'openmates.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the run was killed at timeoutMs (exitCode is then -1). */
  timedOut: boolean;
  /** The command line, for failure messages. */
  command: string;
}

export interface RunCliOptions {
  /** Added to (and overriding) the environment described above; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. Default: nothing (stdin closed at once). */
  input?: string;
  /** Default 180 s. */
  timeoutMs?: number;
  cwd?: string;
  /**
   * Install picks the newest release by default, and the fixture registry's newest (v1.2.0) is
   * never healthy: an install with `--stack FILE` and no `--tag` gets `--tag <the file's tag>`,
   * so a test means the version its stack names. `false` runs the arguments as they are.
   */
  pinTag?: boolean;
}

const HOME_PREFIX = 'omt-home-';

/**
 * Per test process: XDG_CONFIG_HOME / XDG_CACHE_HOME / XDG_STATE_HOME / XDG_DATA_HOME under one
 * temp dir (omt-home-<run pid>-<pid>), so the CLI runs of one test file share config (e.g. the
 * update-check cache) and never see the real user's. removeIsolatedHomes() deletes them.
 */
export function isolatedHome(): Record<string, string> {
  const base = join(tmpdir(), `${HOME_PREFIX}${runPid()}-${process.pid}`);
  const dirs = {
    XDG_CONFIG_HOME: join(base, 'config'),
    XDG_CACHE_HOME: join(base, 'cache'),
    XDG_STATE_HOME: join(base, 'state'),
    XDG_DATA_HOME: join(base, 'data'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

/** Removes the isolated homes of this run and of runs that are gone. */
export function removeIsolatedHomes(): void {
  for (const entry of readdirSync(tmpdir())) {
    const match = new RegExp(`^${HOME_PREFIX}(\\d+)-\\d+$`).exec(entry);
    if (!match) continue;
    const owner = Number(match[1]);
    if (owner === process.pid || !processAlive(owner)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** The environment the CLI runs with (before options.env): the test engine, and the Compose under test (OPENMATES_TEST_COMPOSE). */
export function cliEnv(): Record<string, string> {
  return { DOCKER_HOST: testEnv().dockerHost, NO_COLOR: '1', FORCE_COLOR: '0', ...isolatedHome(), ...HERMETIC_UPDATE_CHECK, ...composeChoiceEnv() };
}

/**
 * The CLI checks npm for a newer version of itself; tests never reach the internet: by default
 * that check goes to a local port where nothing listens (a quiet note). Update tests pass their own.
 */
export const HERMETIC_UPDATE_CHECK = { OPENMATES_NPM_REGISTRY: 'http://127.0.0.1:9' };

export async function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing; build the CLI first (npm run build)`);
  const result = await execa(process.execPath, [CLI_BIN, ...(options.pinTag === false ? args : withStackTag(args))], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...cliEnv(), ...options.env },
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 180_000,
    reject: false,
    stripFinalNewline: false,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    timedOut: result.timedOut,
    command: `openmates ${args.join(' ')}`,
  };
}

/**
 * `args` with `--tag <tag of the --stack file>` added when they install (`server install`,
 * `--server --install`, or the full-screen app, whose Install screen takes it) with a stack file
 * and no --tag of their own.
 */
export function withStackTag(args: string[]): string[] {
  if (args.includes('--tag')) return args;
  const stackIndex = args.indexOf('--stack');
  const stackFile = stackIndex >= 0 ? args[stackIndex + 1] : undefined;
  if (!stackFile || !existsSync(stackFile)) return args;
  const positionals = args.filter((arg, index) => !arg.startsWith('-') && !['--stack', '--path', '--timeout', '--confirm'].includes(args[index - 1] ?? ''));
  const installs = (positionals[0] === 'server' && positionals[1] === 'install') || (args.includes('--server') && args.includes('--install'));
  const opensApp = positionals.length === 0 && !args.includes('--server');
  if (!installs && !opensApp) return args;
  const tag = /^tag:\s*(\S+)\s*$/m.exec(readFileSync(stackFile, 'utf8'))?.[1];
  return tag ? [...args, '--tag', tag] : args;
}
