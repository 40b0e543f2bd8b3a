/**
 * Drives a full-screen program in a detached tmux session of a fixed size, the way a user would:
 * keys in (send-keys), plain text out (capture-pane). Each session has its own tmux server on a
 * private socket, so a user's tmux is never touched, and the pane stays after the program exits
 * (remain-on-exit), so its last screen and exit status can still be read.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { CLI_BIN, HERMETIC_UPDATE_CHECK, isolatedHome, withStackTag } from './cli.js';
import { composeChoiceEnv, REPO_ROOT, testEnv } from './env.js';

export interface TmuxOptions {
  /** Default 100. */
  cols?: number;
  /** Default 30. */
  rows?: number;
  /** Added to the environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * startCliInTmux: leave the first-run safety-mode question unanswered so the app asks it. By
   * default the isolated config answers it ("not a production server") unless a test set it.
   */
  firstRun?: boolean;
}

export interface TmuxSession {
  readonly socket: string;
  /** tmux key names or text, e.g. sendKeys('Down', 'Enter'), sendKeys('C-c'), sendKeys('q'). */
  sendKeys(...keys: string[]): Promise<void>;
  /** Types text literally (no key-name lookup), e.g. a confirmation phrase. */
  type(text: string): Promise<void>;
  /** The visible screen as plain text (trailing spaces and blank lines trimmed). */
  capturePane(): Promise<string>;
  /** Polls the screen until it contains `pattern`; returns that screen, or throws showing the last one. */
  waitForText(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  /** The program's exit status once it has exited (128 + n for signal n), else undefined. */
  exitStatus(): Promise<number | undefined>;
  /** Waits for the program to exit and returns its status; throws with the screen on timeout. */
  waitForExit(timeoutMs?: number): Promise<number>;
  /** Kills the session's tmux server; safe to call twice. */
  kill(): Promise<void>;
}

const TARGET = 'main';
const live = new Set<TmuxSession>();
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION', 'TMUX', 'TMUX_PANE'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `command` (argv, no shell) in a new detached session. */
export async function startTmux(command: string[], options: TmuxOptions = {}): Promise<TmuxSession> {
  if (command.length === 0) throw new Error('startTmux needs a command');
  const cols = options.cols ?? 100;
  const rows = options.rows ?? 30;
  const id = randomBytes(4).toString('hex');
  const socket = join(tmpdir(), `omt-tmux-${id}.sock`);
  const conf = join(tmpdir(), `omt-tmux-${id}.conf`);
  const statusFile = join(tmpdir(), `omt-tmux-${id}.status`);
  writeFileSync(
    conf,
    [
      'set -g status off',
      'set -g remain-on-exit on',
      // Without this, tmux writes "Pane is dead ..." below the program's last screen and scrolls it.
      'set -g remain-on-exit-format ""',
      'set -g history-limit 10000',
      'set -g escape-time 0',
      '',
    ].join('\n'),
  );

  // Ink renders only a final frame when it thinks it runs in CI, so the pane must not inherit CI.
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !CI_VARIABLES.includes(key)) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const tmux = async (args: string[]): Promise<string> => {
    const result = await execa('tmux', ['-S', socket, ...args], { env, extendEnv: false, reject: false, timeout: 10_000 });
    if (result.exitCode !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${String(result.stderr).trim()}`);
    return String(result.stdout);
  };

  // tmux 3.3 sometimes marks a pane dead without ever recording its exit status, so a small
  // wrapper writes it to a file. It traps (not ignores) the signals, so the program still gets
  // them with their default meaning, and the wrapper outlives it to record how it ended.
  const wrapper = 'trap : INT TERM HUP QUIT; "$@"; code=$?; echo "$code" > "$0.tmp" && mv "$0.tmp" "$0"';
  await tmux([
    '-f', conf, 'new-session', '-d', '-s', TARGET, '-x', String(cols), '-y', String(rows),
    '-c', options.cwd ?? REPO_ROOT, '--', 'sh', '-c', wrapper, statusFile, ...command,
  ]);

  let killed = false;
  const session: TmuxSession = {
    socket,
    async sendKeys(...keys) {
      await tmux(['send-keys', '-t', TARGET, ...keys]);
    },
    async type(text) {
      await tmux(['send-keys', '-t', TARGET, '-l', text]);
    },
    async capturePane() {
      const text = await tmux(['capture-pane', '-p', '-t', TARGET]);
      return text
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n')
        .replace(/\n+$/, '');
    },
    async waitForText(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let screen = '';
      for (;;) {
        screen = await session.capturePane();
        if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
        if (Date.now() >= deadline) {
          throw new Error(`waited ${timeoutMs} ms for ${String(pattern)} on the tmux screen; it shows:\n${screen}`);
        }
        await sleep(100);
      }
    },
    async exitStatus() {
      try {
        const text = readFileSync(statusFile, 'utf8').trim();
        return text === '' ? undefined : Number(text);
      } catch {
        return undefined;
      }
    },
    async waitForExit(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await session.exitStatus();
        if (status !== undefined) return status;
        if (Date.now() >= deadline) {
          throw new Error(`waited ${timeoutMs} ms for the program in tmux to exit; the screen shows:\n${await session.capturePane()}`);
        }
        await sleep(100);
      }
    },
    async kill() {
      if (killed) return;
      killed = true;
      live.delete(session);
      await execa('tmux', ['-S', socket, 'kill-server'], { reject: false, env, extendEnv: false });
      rmSync(socket, { force: true });
      rmSync(conf, { force: true });
      rmSync(statusFile, { force: true });
    },
  };
  live.add(session);
  return session;
}

/** Starts the built CLI in tmux with the test engine's DOCKER_HOST and an isolated config home. */
export async function startCliInTmux(args: string[], options: TmuxOptions = {}): Promise<TmuxSession> {
  const env: Record<string, string | undefined> = { DOCKER_HOST: testEnv().dockerHost, ...isolatedHome(), ...HERMETIC_UPDATE_CHECK, ...composeChoiceEnv(), ...options.env };
  if (!options.firstRun && env.XDG_CONFIG_HOME) answerSafetyQuestion(env.XDG_CONFIG_HOME);
  return startTmux([process.execPath, CLI_BIN, ...withStackTag(args)], { ...options, env });
}

/** Writes safetyMode: false into the isolated settings unless the question was answered already. */
function answerSafetyQuestion(configHome: string): void {
  const file = join(configHome, 'openmates', 'config.json');
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // no settings yet
  }
  if (settings.safetyMode !== undefined) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...settings, safetyMode: false }, null, '\t'));
}

/** Kills every session this process started and has not killed yet (for afterEach/afterAll). */
export async function killAllTmuxSessions(): Promise<void> {
  await Promise.all([...live].map((session) => session.kill()));
}

/**
 * Moves the home menu's cursor to the entry with this label and leaves it there (Enter is the
 * caller's): looks in the menu shown, then behind "More…", where the occasional actions live.
 */
export async function chooseMenuItem(app: TmuxSession, label: string, maxSteps = 15): Promise<void> {
  const moveTo = async (wanted: string) => {
    for (let step = 0; step <= maxSteps; step++) {
      if ((await app.capturePane()).includes(`❯ ${wanted}`)) return true;
      await app.sendKeys('Down');
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    return false;
  };
  if (await moveTo(label)) return;
  if ((await app.capturePane()).includes('More…') && (await moveTo('More…'))) {
    await app.sendKeys('Enter');
    await app.waitForText('← Back');
    if (await moveTo(label)) return;
  }
  throw new Error(`the menu has no selectable "${label}"; the screen shows:\n${await app.capturePane()}`);
}
