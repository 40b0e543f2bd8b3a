/**
 * The Compose CLI, used only for `up`, `down`, `stop` and `start`. Detected once: `docker compose` (v2 plugin)
 * first, `docker-compose` (v1, or a standalone v2) second. execa is loaded lazily, like dockerode.
 *
 * Compose runs in its own process group, so an abort (or a deadline) can stop all of it: the
 * docker CLI and its compose plugin are two processes, and killing only the first would leave
 * the second running.
 */
import { dirname, resolve } from 'node:path';
import { OpenmatesError } from '../core/errors.js';
import { composeChoice, COMPOSE_VARIABLE, isComposeV1 } from './compose-choice.js';
import { composeFailure, outputLines } from './compose-output.js';
import { waitForComposeRuns } from './compose-processes.js';
import { formatDuration } from './deadline.js';
import type { ComposeCli, ComposeProject } from './types.js';

export interface CommandResult {
  /** Undefined when the process was killed by a signal or could not be started. */
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started at all (e.g. not installed). */
  spawnError?: string;
  /** Stopped because the signal aborted (including our own deadline). */
  canceled: boolean;
}

export interface CommandOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export type CommandRunner = (file: string, args: readonly string[], options: CommandOptions) => Promise<CommandResult>;

/** After SIGTERM, how long Compose gets to stop before its whole process group gets SIGKILL. */
const KILL_GRACE_MS = 5_000;

/** Runs a command through execa, capturing output, in its own process group. */
export const runCommand: CommandRunner = async (file, args, options) => {
  const { execa } = await import('execa');
  const subprocess = execa(file, [...args], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.env ? { env: options.env } : {}),
    stdin: 'ignore',
    reject: false,
    detached: true,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    forceKillAfterDelay: KILL_GRACE_MS,
  });

  const killGroup = (signal: NodeJS.Signals): void => {
    if (subprocess.pid === undefined) return;
    try {
      process.kill(-subprocess.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const onAbort = (): void => {
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
  };
  // detached turns off execa's own cleanup on exit: do it ourselves.
  const onExit = (): void => killGroup('SIGTERM');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  process.once('exit', onExit);
  try {
    const result = await subprocess;
    const started = result.exitCode !== undefined || result.signal !== undefined || result.isCanceled;
    return {
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      ...(result.failed && !started ? { spawnError: result.originalMessage ?? result.shortMessage ?? 'could not start' } : {}),
      canceled: result.isCanceled,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    process.removeListener('exit', onExit);
  }
};

export interface ComposeOptions {
  /** Environment for Compose; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Deadline for one `up` / `down`. */
  timeoutMs?: number;
  /** Deadline for `version --short` during detection. */
  detectTimeoutMs?: number;
  /** How commands are run (tests pass a fake). */
  run?: CommandRunner;
}

export const DEFAULT_COMPOSE_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_DETECT_TIMEOUT_MS = 15_000;
/** v1 learned the top-level --env-file in 1.25. */
const MINIMUM_V1 = [1, 25, 0] as const;

export function parseComposeVersion(output: string): string | undefined {
  return /v?(\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?)/.exec(output.trim())?.[1];
}

function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split(/[.\-+]/).map((part) => Number.parseInt(part, 10));
  for (let i = 0; i < minimum.length; i += 1) {
    const have = Number.isFinite(parts[i]) ? parts[i]! : 0;
    if (have !== minimum[i]) return have > minimum[i]!;
  }
  return true;
}

/** The global arguments that select the install's project, files absolute (cwd is the compose file's folder). */
export function projectArgs(project: ComposeProject): string[] {
  return ['-p', project.name, '-f', resolve(project.composeFile), '--env-file', resolve(project.envFile)];
}

export function upArgs(project: ComposeProject): string[] {
  return [...projectArgs(project), 'up', '-d', '--remove-orphans'];
}

/** Never `-v`: volumes hold the user's data. */
export function downArgs(project: ComposeProject): string[] {
  return [...projectArgs(project), 'down', '--remove-orphans'];
}

export function stopArgs(project: ComposeProject, services: string[]): string[] {
  return [...projectArgs(project), 'stop', ...services];
}

/** Checks the file and its variables without touching the engine. */
export function validateArgs(project: ComposeProject): string[] {
  return [...projectArgs(project), 'config', '-q'];
}

export function startArgs(project: ComposeProject, services: string[]): string[] {
  return [...projectArgs(project), 'start', ...services];
}

/** Runs a command with a deadline, merging the deadline and the caller's signal into one. */
async function runWithDeadline(
  run: CommandRunner,
  file: string,
  args: readonly string[],
  options: CommandOptions,
  timeoutMs: number,
): Promise<CommandResult & { timedOut: boolean }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const outer = options.signal;
  const onOuterAbort = (): void => controller.abort();
  if (outer?.aborted) controller.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const result = await run(file, args, { ...options, signal: controller.signal });
    return { ...result, timedOut };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

class DetectedCompose implements ComposeCli {
  readonly command: string;

  constructor(
    private readonly file: string,
    private readonly prefix: readonly string[],
    readonly version: string,
    private readonly options: ComposeOptions,
  ) {
    this.command = [file, ...prefix].join(' ');
  }

  private async runProject(project: ComposeProject, args: string[], action: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw this.interrupted(action);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_COMPOSE_TIMEOUT_MS;
    const result = await runWithDeadline(
      this.options.run ?? runCommand,
      this.file,
      [...this.prefix, ...args],
      { cwd: dirname(resolve(project.composeFile)), ...(this.options.env ? { env: this.options.env } : {}), ...(signal ? { signal } : {}) },
      timeoutMs,
    );
    if (result.timedOut) {
      throw new OpenmatesError(
        'operation-failed',
        `Compose did not finish (${action}) within ${formatDuration(timeoutMs)} and was stopped.`,
        'The engine may be overloaded or stuck: check `docker ps` and the engine log, then try again.',
        result.stderr ? result.stderr.trimEnd().split('\n').slice(-15) : [],
      );
    }
    if (signal?.aborted || result.canceled) throw this.interrupted(action);
    if (result.spawnError !== undefined) {
      throw new OpenmatesError('preflight', `Could not run ${this.command}: ${result.spawnError}.`, 'Check that Docker Compose is still installed.');
    }
    if (result.exitCode !== 0) throw composeFailure(action, result.stderr, result.exitCode);
  }

  private interrupted(action: string): OpenmatesError {
    return new OpenmatesError('interrupted', `Compose was stopped before it could ${action}.`);
  }

  up(project: ComposeProject, signal?: AbortSignal): Promise<void> {
    return this.runProject(project, upArgs(project), 'start the stack', signal);
  }

  down(project: ComposeProject, signal?: AbortSignal): Promise<void> {
    return this.runProject(project, downArgs(project), 'stop the stack', signal);
  }

  stop(project: ComposeProject, services: string[], signal?: AbortSignal): Promise<void> {
    return this.runProject(project, stopArgs(project, services), services.length > 0 ? `stop ${services.join(', ')}` : 'stop the stack', signal);
  }

  start(project: ComposeProject, services: string[], signal?: AbortSignal): Promise<void> {
    return this.runProject(project, startArgs(project, services), services.length > 0 ? `start ${services.join(', ')}` : 'start the stack', signal);
  }

  async validate(project: ComposeProject, signal?: AbortSignal): Promise<string[]> {
    const result = await runWithDeadline(
      this.options.run ?? runCommand,
      this.file,
      [...this.prefix, ...validateArgs(project)],
      { cwd: dirname(resolve(project.composeFile)), ...(this.options.env ? { env: this.options.env } : {}), ...(signal ? { signal } : {}) },
      this.options.detectTimeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS,
    );
    if (signal?.aborted || result.canceled) throw this.interrupted('check the compose file');
    if (result.timedOut) return [];
    if (result.spawnError !== undefined) {
      throw new OpenmatesError('preflight', `Could not run ${this.command}: ${result.spawnError}.`, 'Check that Docker Compose is still installed.');
    }
    return result.exitCode === 0 ? [] : outputLines(result.stderr).concat(result.stderr.trim() === '' ? outputLines(result.stdout) : []);
  }

  waitForOtherRuns(project: string, timeoutMs: number, signal?: AbortSignal): Promise<number[]> {
    return waitForComposeRuns(project, timeoutMs, signal);
  }
}

const NOT_FOUND_HINT =
  'Install Compose v2 with `sudo apt install docker-compose-plugin` (Docker\'s apt repository; it provides `docker compose`), ' +
  'or Compose v1 with `sudo apt install docker-compose`.';

/**
 * Finds Compose: `docker compose` (v2) first, then `docker-compose`, unless OPENMATES_COMPOSE
 * (in options.env, else process.env) names one. Throws OpenmatesError('preflight') when none works.
 */
export async function detectCompose(options: ComposeOptions = {}): Promise<ComposeCli> {
  const run = options.run ?? runCommand;
  const timeoutMs = options.detectTimeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS;
  const env = options.env ? { env: options.env } : {};
  const choice = composeChoice((options.env ?? process.env)[COMPOSE_VARIABLE]);
  const tooOld: string[] = [];
  const notV1: string[] = [];
  for (const { file, prefix } of choice.candidates) {
    const result = await runWithDeadline(run, file, [...prefix, 'version', '--short'], env, timeoutMs);
    const version = result.exitCode === 0 ? parseComposeVersion(result.stdout) : undefined;
    if (!version) continue;
    const command = [file, ...prefix].join(' ');
    if (isComposeV1(version) && !versionAtLeast(version, MINIMUM_V1)) {
      tooOld.push(`${command} ${version}`);
      continue;
    }
    if (choice.requireV1 && !isComposeV1(version)) {
      notV1.push(`${command} is ${version}`);
      continue;
    }
    return new DetectedCompose(file, prefix, version, options);
  }
  if (tooOld.length > 0) {
    throw new OpenmatesError('preflight', `Docker Compose is too old (${tooOld.join(', ')}); openmates needs v2, or v1 from ${MINIMUM_V1.join('.')} on.`, NOT_FOUND_HINT);
  }
  if (choice.chosenBy) {
    const tried = choice.candidates.map(({ file, prefix }) => `\`${[file, ...prefix].join(' ')}\``).join(', ');
    throw new OpenmatesError(
      'preflight',
      notV1.length > 0 ? `${choice.chosenBy} asks for Compose v1, but ${notV1.join(', ')}.` : `${choice.chosenBy} names a Compose that does not work: ${tried} does not answer.`,
      `Install that Compose, or unset ${COMPOSE_VARIABLE} to let openmates find one. ${NOT_FOUND_HINT}`,
    );
  }
  throw new OpenmatesError('preflight', 'Docker Compose is not installed: neither `docker compose` nor `docker-compose` works.', NOT_FOUND_HINT);
}
