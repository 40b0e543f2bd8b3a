import { readFile } from 'node:fs/promises';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { createExecSessions, runCommand } from '../../../../src/core/exec/index.js';

const cwd = process.cwd();

/** Gone, or a zombie waiting for init to reap it: either way it runs no more. */
async function isGone(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

describe('runCommand', () => {
  it('runs a command with cwd and env, and says what it was', async () => {
    const folder = await realpath(tmpdir());
    const result = await runCommand({ command: 'pwd; echo "$GREETING"; echo oops >&2; exit 3', cwd: folder, env: { GREETING: 'hello' } });
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, stdout: `${folder}\nhello\n`, stderr: 'oops\n', cwd: folder, truncated: { stdout: false, stderr: false } });
    expect(result.signal).toBeUndefined();
    expect(result.risk.risk).toBe('change');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('leaves out the inherited variables dropEnv names, and keeps those passed in env', async () => {
    process.env.RUN_COMMAND_TEST_TOKEN = 'inherited-secret';
    try {
      const result = await runCommand({ command: 'echo "[$RUN_COMMAND_TEST_TOKEN][$PASSED_TOKEN][$HOME]"', cwd, env: { PASSED_TOKEN: 'given' }, dropEnv: (name) => name.endsWith('_TOKEN') });
      expect(result.stdout).toBe(`[][given][${process.env.HOME ?? ''}]\n`);
    } finally {
      delete process.env.RUN_COMMAND_TEST_TOKEN;
    }
  });

  it('streams output as it comes', async () => {
    const seen: string[] = [];
    const result = await runCommand({
      command: 'echo one; sleep 0.3; echo two',
      cwd,
      onOutput: (stream, chunk) => seen.push(`${stream}:${Buffer.from(chunk).toString()}`),
    });
    expect(seen).toEqual(['stdout:one\n', 'stdout:two\n']);
    expect(result.stdout).toBe('one\ntwo\n');
  });

  it('at the deadline kills the command and the children it started', async () => {
    const result = await runCommand({ command: 'sleep 30 & echo $!; sleep 30', cwd, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    const child = Number(result.stdout.trim());
    expect(child).toBeGreaterThan(0);
    expect(await isGone(child)).toBe(true);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('a grandchild that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const result = await runCommand({ command: `sh -c 'trap "" TERM; echo $$; exec sleep 30' & wait`, cwd, timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    const grandchild = Number(result.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await isGone(grandchild)).toBe(true);
  });

  it('a command that leaves a background child running still returns when the shell exits', async () => {
    const result = await runCommand({ command: 'sleep 5 & echo started', cwd, timeoutMs: 20_000 });
    expect(result.stdout).toBe('started\n');
    expect(result.exitCode).toBe(0);
    expect(result.durationMs).toBeLessThan(4000);
  });

  it('bounds big output and says it was truncated', async () => {
    const chunks: number[] = [];
    const result = await runCommand({ command: 'head -c 3000000 /dev/zero | tr "\\0" x', cwd, maxOutputBytes: 100_000, onOutput: (_stream, chunk) => chunks.push(chunk.length) });
    expect(result.stdout.length).toBe(100_000);
    expect(result.truncated).toEqual({ stdout: true, stderr: false });
    // Streaming still saw everything.
    expect(chunks.reduce((sum, size) => sum + size, 0)).toBe(3_000_000);
  });

  it('cancelling by signal kills the command and is an interrupted error', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await runCommand({ command: 'sleep 30', cwd, signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('interrupted');
  });

  it('a missing working folder and an empty command are usage errors', async () => {
    await expect(runCommand({ command: 'ls', cwd: '/no/such/folder' })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('/no/such/folder') });
    await expect(runCommand({ command: '  ', cwd })).rejects.toMatchObject({ kind: 'usage' });
  });

  it('analyses the output', async () => {
    expect((await runCommand({ command: 'echo \'{"a": 1}\'', cwd })).analysis).toEqual({ lines: 1, looksLike: 'json' });
    expect((await runCommand({ command: 'printf "NAME  STATE\\napi   up\\ndb    down\\n"', cwd })).analysis).toEqual({ lines: 3, looksLike: 'table' });
    expect((await runCommand({ command: 'ls /no/such/thing', cwd })).analysis.looksLike).toBe('errors');
    expect((await runCommand({ command: 'true', cwd })).analysis).toEqual({ lines: 0, looksLike: 'empty' });
    expect((await runCommand({ command: 'echo just some words', cwd })).analysis).toEqual({ lines: 1, looksLike: 'text' });
  });
});

describe('sessions', () => {
  let folder: string;
  const sessions = createExecSessions();
  afterEach(async () => {
    await sessions.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('cd and export persist between the commands of a session, and not outside it', async () => {
    folder = await realpath(await mkdtemp(join(tmpdir(), 'openmates-exec-test-')));
    const first = await runCommand({ command: `cd ${folder} && export OM_TEST_COLOR=blue && echo set`, cwd, session: 's1', sessions });
    expect(first.stdout).toBe('set\n');
    expect(first.exitCode).toBe(0);
    const second = await runCommand({ command: 'pwd; echo "$OM_TEST_COLOR"', cwd, session: 's1', sessions });
    expect(second.stdout).toBe(`${folder}\nblue\n`);
    expect(second.cwd).toBe(folder);
    const other = await runCommand({ command: 'pwd; echo "[$OM_TEST_COLOR]"', cwd, session: 's2', sessions });
    expect(other.stdout).toBe(`${cwd}\n[]\n`);
    const none = await runCommand({ command: 'echo "[$OM_TEST_COLOR]"', cwd });
    expect(none.stdout).toBe('[]\n');
  });

  it('keeps the exit code (also of exit N) and adds nothing to the output', async () => {
    const failed = await runCommand({ command: 'echo out; echo err >&2; exit 7', cwd, session: 'codes', sessions });
    expect(failed).toMatchObject({ exitCode: 7, stdout: 'out\n', stderr: 'err\n' });
    const falsy = await runCommand({ command: 'false', cwd, session: 'codes', sessions });
    expect(falsy).toMatchObject({ exitCode: 1, stdout: '', stderr: '' });
    const env = await runCommand({ command: 'env | grep -c OPENMATES_EXEC || true', cwd, session: 'codes', sessions });
    expect(env.stdout).toBe('0\n');
  });

  it('commands of one session take turns', async () => {
    const [a, b] = await Promise.all([
      runCommand({ command: 'export N=1; sleep 0.2', cwd, session: 'turns', sessions }),
      runCommand({ command: 'echo "N=$N"', cwd, session: 'turns', sessions }),
    ]);
    expect(a.exitCode).toBe(0);
    expect(b.stdout).toBe('N=1\n');
  });
});
