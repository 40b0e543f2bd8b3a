/**
 * For the login e2e tests: the built CLI as a running process a test talks to (JSON events out,
 * PIN lines in), a private state dir per test (where the session file goes), and an install dir
 * whose stack copy names the stand-in pair server as its API.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { CLI_BIN, cliEnv, REPO_ROOT, type CliResult } from './harness/index.js';

export interface RunningCli {
  /** Resolves with the first JSON line of this type on stdout (throws with the output so far on timeout). */
  waitForEvent(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Writes a line to the CLI's stdin. */
  writeLine(line: string): void;
  endInput(): void;
  /** The finished run (stdin is left as the test left it). */
  done(): Promise<CliResult>;
}

export function startCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): RunningCli {
  const child: ResultPromise = execa(process.execPath, [CLI_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...cliEnv(), ...env },
    stdin: 'pipe',
    reject: false,
    timeout: timeoutMs,
    stripFinalNewline: false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const events = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    async waitForEvent(type, wait = 20_000) {
      const deadline = Date.now() + wait;
      for (;;) {
        const found = events().find((event) => event.type === type);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no "${type}" event within ${wait} ms; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    writeLine(line) {
      child.stdin?.write(`${line}\n`);
    },
    endInput() {
      child.stdin?.end();
    },
    async done() {
      const result = await child;
      return { exitCode: result.exitCode ?? -1, stdout, stderr, timedOut: result.timedOut, command: `openmates ${args.join(' ')}` };
    },
  };
}

/** A fresh XDG_STATE_HOME (the session file's home) and install dir for one test; `cleanup` removes both. */
export function loginHome(apiUrl?: string) {
  const base = mkdtempSync(join(tmpdir(), 'omt-login-e2e-'));
  const state = join(base, 'state');
  const installDir = join(base, 'install');
  mkdirSync(installDir);
  if (apiUrl) {
    writeFileSync(
      join(installDir, 'openmates-stack.yml'),
      `name: omt-login-e2e\ncompose: ./docker-compose.yml\nregistry: registry.local/openmates\nregistryVariable: OPENMATES_IMAGE_REGISTRY\ntag: v1.0.0\ntagVariable: OPENMATES_IMAGE_TAG\nversionImage: openmates-api\nurls:\n  - { name: Web app, url: "http://localhost:5173" }\n  - { name: API, url: "${apiUrl}" }\n`,
    );
  }
  return {
    env: { XDG_STATE_HOME: state },
    installDir,
    sessionFile: join(state, 'openmates', 'session.json'),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

export function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}
