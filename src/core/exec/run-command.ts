/**
 * Runs a command line through the shell, in its own process group, so the deadline (or a cancel)
 * ends the command with everything it started: SIGTERM to the group, SIGKILL after a grace period.
 * Output is handed to `onOutput` as it comes and kept, bounded, for the result.
 *
 * In a session the command runs inside a small wrapper that, on exit, writes the shell's working
 * folder and exported environment to a state file (an EXIT trap, so `exit 3` keeps its code and
 * the command's own output is untouched); the next command of the session starts from them.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { OpenmatesError, messageOf } from '../errors.js';
import { classifyCommand, type CommandClassification } from './classify-command.js';
import type { ExecSessions, SessionState } from './exec-sessions.js';
import { analyseOutput, type OutputAnalysis } from './output-analysis.js';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** Between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After the shell exits, how long its output pipes may stay open (a background child holding them). */
const PIPE_GRACE_MS = 300;

export interface RunCommandOptions {
  command: string;
  cwd: string;
  env?: Record<string, string>;
  /** Inherited variables (this process's, or the session's) to leave out, e.g. secrets for a remote operator's command; `env` is kept whole. */
  dropEnv?: (name: string) => boolean;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /** The session's name; its working folder and environment win over `cwd` once it exists. */
  session?: string;
  sessions?: ExecSessions;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Uint8Array) => void;
}

export interface ExecResult {
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  truncated: { stdout: boolean; stderr: boolean };
  risk: CommandClassification;
  analysis: OutputAnalysis;
  /** Where the command ran (for a session: where it starts next time is the session's cwd). */
  cwd: string;
}

const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
const COMMAND_VAR = 'OPENMATES_EXEC_COMMAND';
const STATE_VAR = 'OPENMATES_EXEC_STATE';
const SESSION_WRAPPER = [
  `__om_cmd=$${COMMAND_VAR}`,
  `__om_state=$${STATE_VAR}`,
  `unset ${COMMAND_VAR} ${STATE_VAR}`,
  `__om_save() { __om_status=$?; { printf '%s\\0' "$PWD"; env -0; } > "$__om_state" 2>/dev/null; exit $__om_status; }`,
  'trap __om_save EXIT',
  'eval "$__om_cmd"',
].join('\n');
/** Not carried from one command of a session to the next. */
const NOT_KEPT = new Set(['_', 'PWD', 'SHLVL', COMMAND_VAR, STATE_VAR]);

class BoundedOutput {
  private readonly parts: Buffer[] = [];
  private bytes = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    const room = this.max - this.bytes;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.parts.push(kept);
    this.bytes += kept.length;
  }
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

/**
 * Whether any process of the group still runs. A zombie does not count: where init does not reap
 * (some containers) a killed child stays a zombie, and signal 0 would still reach it.
 */
async function groupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  const pids = await readdir('/proc').catch(() => undefined);
  if (!pids) return true;
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function processEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function withoutDropped(env: Record<string, string>, drop?: (name: string) => boolean): Record<string, string> {
  return drop ? Object.fromEntries(Object.entries(env).filter(([name]) => !drop(name))) : env;
}

function parseState(raw: Buffer): SessionState | undefined {
  const fields = raw.toString('utf8').split('\0');
  const cwd = fields.shift();
  if (!cwd) return undefined;
  const env: Record<string, string> = {};
  for (const field of fields) {
    const equals = field.indexOf('=');
    if (equals <= 0) continue;
    const name = field.slice(0, equals);
    if (!NOT_KEPT.has(name)) env[name] = field.slice(equals + 1);
  }
  return { cwd, env };
}

async function checkCwd(cwd: string): Promise<void> {
  const info = await stat(cwd).catch(() => undefined);
  if (!info?.isDirectory()) throw new OpenmatesError('usage', `Cannot run the command in ${JSON.stringify(cwd)}: there is no such folder.`, 'Pass an existing folder as the working directory.');
}

interface Spawned {
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  cancelled: boolean;
  stdout: BoundedOutput;
  stderr: BoundedOutput;
}

function runShell(args: string[], cwd: string, env: Record<string, string>, options: RunCommandOptions): Promise<Spawned> {
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const stdout = new BoundedOutput(maxOutput);
  const stderr = new BoundedOutput(maxOutput);
  return new Promise((resolve, reject) => {
    const child = spawn(SHELL, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (child.pid === undefined || killTimer) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS);
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onOutput?.('stdout', chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      options.onOutput?.('stderr', chunk);
    });
    child.on('error', (error) => {
      clearTimeout(deadline);
      reject(new OpenmatesError('operation-failed', `Cannot start ${SHELL}: ${messageOf(error)}.`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      const finish = async () => {
        // A killed command: wait until nothing of its group is left (SIGKILL comes after the grace).
        if (killTimer) {
          const until = Date.now() + KILL_GRACE_MS + 3000;
          while ((await groupAlive(child.pid!)) && Date.now() < until) await new Promise((done) => setTimeout(done, 50));
          clearTimeout(killTimer);
        }
        const closed = new Promise<void>((done) => child.once('close', () => done()));
        const grace = new Promise<void>((done) => setTimeout(done, PIPE_GRACE_MS).unref());
        await Promise.race([closed, grace]);
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ exitCode: code, ...(signal ? { signal } : {}), timedOut, cancelled, stdout, stderr });
      };
      void finish();
    });
  });
}

async function runOnce(options: RunCommandOptions, cwd: string, env: Record<string, string>, stateFile?: string): Promise<{ spawned: Spawned; state?: SessionState }> {
  await checkCwd(cwd);
  if (!stateFile) return { spawned: await runShell(['-c', options.command], cwd, env, options) };
  try {
    const spawned = await runShell(['-c', SESSION_WRAPPER], cwd, { ...env, [COMMAND_VAR]: options.command, [STATE_VAR]: stateFile }, options);
    const raw = await readFile(stateFile).catch(() => undefined);
    return { spawned, ...(raw ? { state: parseState(raw) } : {}) };
  } finally {
    await rm(stateFile, { force: true });
  }
}

export async function runCommand(options: RunCommandOptions): Promise<ExecResult> {
  if (typeof options.command !== 'string' || options.command.trim() === '') throw new OpenmatesError('usage', 'The command is empty.', 'Pass the command line to run.');
  if (options.timeoutMs !== undefined && (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)) throw new OpenmatesError('usage', `The timeout ${options.timeoutMs} ms is not a positive number.`);
  if (options.session !== undefined && !options.sessions) throw new OpenmatesError('usage', `Session ${JSON.stringify(options.session)} needs a session store (createExecSessions()).`);
  const risk = classifyCommand(options.command);
  const started = performance.now();

  const execute = async () => {
    const sessions = options.sessions;
    const name = options.session;
    const existing = name !== undefined ? sessions?.get(name) : undefined;
    const cwd = existing?.cwd ?? options.cwd;
    const env = { ...withoutDropped(existing?.env ?? processEnv(), options.dropEnv), ...options.env };
    const stateFile = name !== undefined && sessions ? join(await sessions.stateFolder(), `${randomBytes(8).toString('hex')}.state`) : undefined;
    const { spawned, state } = await runOnce(options, cwd, env, stateFile);
    if (name !== undefined && sessions) sessions.set(name, state ?? { cwd, env });
    return { spawned, cwd };
  };
  const { spawned, cwd } = options.session !== undefined && options.sessions ? await options.sessions.inTurn(options.session, execute) : await execute();

  if (spawned.cancelled) throw new OpenmatesError('interrupted', `The command was cancelled: ${options.command.slice(0, 80)}`);
  const stdout = spawned.stdout.text();
  const stderr = spawned.stderr.text();
  return {
    exitCode: spawned.exitCode,
    ...(spawned.signal ? { signal: spawned.signal } : {}),
    timedOut: spawned.timedOut,
    durationMs: Math.round(performance.now() - started),
    stdout,
    stderr,
    truncated: { stdout: spawned.stdout.truncated, stderr: spawned.stderr.truncated },
    risk,
    analysis: analyseOutput(stdout, stderr, spawned.exitCode),
    cwd,
  };
}
