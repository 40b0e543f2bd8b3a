import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import { TerminalManager, type TerminalSession } from '../../src/core/terminals/index.js';
import { createRecordings, type RecordingInfo } from '../../src/remote/agent/recordings/index.js';
import { recordingsDir, remoteStateDir } from '../../src/remote/agent/state-dir.js';
import { runCli } from './harness/index.js';
import { finalObject } from './json-lines.js';

/**
 * `openmates remote-access recordings` reads the state dir on this machine, no agent needed: two
 * sessions are recorded by the agent's recorder over a real PTY into the state dir XDG_STATE_HOME
 * names, then the built CLI lists them, shows one, writes one's output, and refuses a name it does not have.
 */
describe('remote-access recordings: the terminal recordings in the state dir', () => {
  let stateHome: string;
  let manager: TerminalManager;
  const recorded: string[] = [];
  const cli = (...args: string[]) => runCli(['remote-access', 'recordings', ...args], { env: { XDG_STATE_HOME: stateHome } });

  async function session(device: { id: string; name: string }, command: string, marker: string): Promise<void> {
    const recordings = createRecordings({ dir: recordingsDir(remoteStateDir({ XDG_STATE_HOME: stateHome })), bounds: async () => ({ maxBytes: 1024 ** 3, maxAgeDays: 7 }) });
    const terminal: TerminalSession = await manager.create({ shell: '/bin/sh', cwd: stateHome, cols: 90, rows: 30, env: { PATH: process.env.PATH, PS1: '$ ' } });
    const started = recordings.start(terminal, { device });
    recorded.push(started.name);
    const reader = manager.attach(terminal.id, 'test');
    terminal.write(`${command}\r`);
    let seen = '';
    while (!seen.includes(marker)) {
      const next = await reader.next();
      if ('output' in next) seen += next.output.bytes.toString();
    }
    terminal.write('exit\r');
    while (!('exit' in (await reader.next())));
    await started.finished;
  }

  beforeAll(async () => {
    stateHome = await mkdtemp(join(tmpdir(), 'omt-recordings-'));
    manager = new TerminalManager();
    await session({ id: 'dev-laptop', name: 'laptop' }, 'echo fi""rst session', 'first session\r\n');
    await session({ id: 'dev-phone', name: 'my phone' }, 'sleep 1.2; printf "\\033[1mbold\\033[0m %s\\n" sec""ond', 'second\r\n');
  });
  afterAll(async () => {
    manager?.stopAll(new OpenmatesError('interrupted', 'test over'));
    await rm(stateHome, { recursive: true, force: true });
  });

  it('--json lists both, newest first, with device, size and duration', async () => {
    const result = await cli('--json');
    expect(result.exitCode, result.stderr).toBe(0);
    const { recordings } = finalObject(result.stdout) as { recordings: RecordingInfo[] };
    expect(recordings.map((recording) => recording.name)).toEqual([recorded[1], recorded[0]]);
    const [second, first] = recordings as [RecordingInfo, RecordingInfo];
    expect(second).toMatchObject({ device: { id: 'dev-phone', name: 'my phone' }, cols: 90, rows: 30, path: join(stateHome, 'openmates', 'remote', 'recordings', `${recorded[1]}.cast`) });
    expect(first.device).toEqual({ id: 'dev-laptop', name: 'laptop' });
    expect(second.durationSeconds).toBeGreaterThan(1.2);
    expect(first.durationSeconds).toBeLessThan(second.durationSeconds!);
    expect(second.bytes).toBeGreaterThan(200);
    expect(Date.parse(second.startedAt)).toBeGreaterThan(Date.parse(first.startedAt));
  });

  it('lists them as a table, shows one\'s path with how to play it, and --raw writes what the session printed', async () => {
    const table = await cli();
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/NAME +WHEN +DEVICE +SIZE +DURATION/);
    expect(table.stdout.indexOf(recorded[1]!)).toBeLessThan(table.stdout.indexOf(recorded[0]!));
    expect(table.stdout).toContain('my phone');

    const shown = await cli('show', recorded[0]!);
    expect(shown.exitCode, shown.stderr).toBe(0);
    const path = join(stateHome, 'openmates', 'remote', 'recordings', `${recorded[0]}.cast`);
    expect(shown.stdout).toBe(`${path}\n`);
    expect(shown.stderr).toContain(`play it with \`asciinema play ${path}\``);

    const raw = await cli('show', `${recorded[1]}.cast`, '--raw');
    expect(raw.exitCode, raw.stderr).toBe(0);
    expect(raw.stdout).toContain('\u001b[1mbold\u001b[0m second\r\n');
  });

  it('an unknown name is a usage error (exit 2) that says how to list them', async () => {
    for (const name of ['2020-01-01T00-00-00.000Z-t-000000000000', '../remote/devices']) {
      const result = await cli('show', name, '--json');
      expect(result.exitCode).toBe(2);
      expect(finalObject(result.stdout)).toMatchObject({ type: 'error', kind: 'usage', message: `There is no terminal recording ${JSON.stringify(name)}.` });
    }
  });
});
