import { describe, expect, it } from 'vitest';
import { isOpenmatesError } from '../../../src/core/errors.js';
import {
  detectCompose,
  downArgs,
  parseComposeVersion,
  upArgs,
  type CommandOptions,
  type CommandResult,
  type CommandRunner,
} from '../../../src/docker/compose-cli.js';

interface Call {
  file: string;
  args: readonly string[];
  options: CommandOptions;
}

/** A runner answering by command line ("docker compose version --short" → result). */
function fakeRunner(answers: Record<string, Partial<CommandResult> | ((options: CommandOptions) => Promise<CommandResult>)>): { run: CommandRunner; calls: Call[] } {
  const calls: Call[] = [];
  const run: CommandRunner = async (file, args, options) => {
    calls.push({ file, args, options });
    const key = [file, ...args].join(' ');
    const isDetection = args.at(-2) === 'version';
    const answer = answers[key] ?? (isDetection ? undefined : answers['*']);
    if (typeof answer === 'function') return answer(options);
    if (!answer) return { stdout: '', stderr: '', spawnError: `spawn ${file} ENOENT`, canceled: false };
    return { stdout: '', stderr: '', canceled: false, exitCode: 0, ...answer };
  };
  return { run, calls };
}

const project = { name: 'openmates', composeFile: '/srv/openmates/compose.yml', envFile: '/srv/openmates/.env' };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('detectCompose', () => {
  it('prefers the v2 plugin', async () => {
    const { run } = fakeRunner({
      'docker compose version --short': { stdout: '2.29.1\n' },
      'docker-compose version --short': { stdout: '1.29.2\n' },
    });
    const compose = await detectCompose({ run });
    expect(compose.command).toBe('docker compose');
    expect(compose.version).toBe('2.29.1');
  });

  it('falls back to docker-compose v1 when the plugin is missing', async () => {
    const { run, calls } = fakeRunner({
      'docker compose version --short': { exitCode: 125, stderr: 'unknown flag: --short' },
      'docker-compose version --short': { stdout: '1.29.2\n' },
    });
    const compose = await detectCompose({ run });
    expect(compose.command).toBe('docker-compose');
    expect(compose.version).toBe('1.29.2');
    expect(calls.map((call) => [call.file, ...call.args].join(' '))).toEqual(['docker compose version --short', 'docker-compose version --short']);
  });

  it('fails as a preflight problem naming both and how to install', async () => {
    const { run } = fakeRunner({});
    const error = await rejection(detectCompose({ run }));
    expect(isOpenmatesError(error) && error.kind).toBe('preflight');
    expect(isOpenmatesError(error) && error.message).toBe('Docker Compose is not installed: neither `docker compose` nor `docker-compose` works.');
    expect(isOpenmatesError(error) && error.hint).toMatch(/apt install docker-compose-plugin.*apt install docker-compose`/);
  });

  it('refuses a v1 too old for --env-file', async () => {
    const { run } = fakeRunner({ 'docker-compose version --short': { stdout: '1.21.0' } });
    const error = await rejection(detectCompose({ run }));
    expect(isOpenmatesError(error) && error.message).toMatch(/too old \(docker-compose 1\.21\.0\)/);
  });

  it('OPENMATES_COMPOSE=v1 uses docker-compose even when the v2 plugin answers', async () => {
    const { run, calls } = fakeRunner({
      'docker compose version --short': { stdout: '2.26.1\n' },
      'docker-compose version --short': { stdout: '1.29.2\n' },
    });
    const compose = await detectCompose({ run, env: { OPENMATES_COMPOSE: 'v1' } });
    expect(compose.command).toBe('docker-compose');
    expect(calls.map((call) => call.file)).toEqual(['docker-compose']);
  });

  it('OPENMATES_COMPOSE=v1 refuses a docker-compose that is v2', async () => {
    const { run } = fakeRunner({ 'docker-compose version --short': { stdout: '2.26.1\n' } });
    const error = await rejection(detectCompose({ run, env: { OPENMATES_COMPOSE: 'v1' } }));
    expect(isOpenmatesError(error) && error.kind).toBe('preflight');
    expect(isOpenmatesError(error) && error.message).toBe('OPENMATES_COMPOSE=v1 asks for Compose v1, but docker-compose is 2.26.1.');
  });

  it('OPENMATES_COMPOSE=v2 uses only the plugin, and says so when it is missing', async () => {
    const { run } = fakeRunner({ 'docker-compose version --short': { stdout: '1.29.2\n' } });
    const error = await rejection(detectCompose({ run, env: { OPENMATES_COMPOSE: 'v2' } }));
    expect(isOpenmatesError(error) && error.message).toBe('OPENMATES_COMPOSE=v2 names a Compose that does not work: `docker compose` does not answer.');
    expect(isOpenmatesError(error) && error.hint).toMatch(/unset OPENMATES_COMPOSE/);
  });

  it('OPENMATES_COMPOSE=<path> runs that binary without a prefix', async () => {
    const { run } = fakeRunner({ '/opt/compose/docker-compose version --short': { stdout: 'v2.29.7\n' }, '*': { exitCode: 0 } });
    const compose = await detectCompose({ run, env: { OPENMATES_COMPOSE: '/opt/compose/docker-compose' } });
    expect(compose.command).toBe('/opt/compose/docker-compose');
    expect(compose.version).toBe('2.29.7');
  });

  it('a bad OPENMATES_COMPOSE is a usage error naming the values it takes', async () => {
    const { run } = fakeRunner({});
    const error = await rejection(detectCompose({ run, env: { OPENMATES_COMPOSE: 'compose2' } }));
    expect(isOpenmatesError(error) && error.kind).toBe('usage');
    expect(isOpenmatesError(error) && error.message).toBe('OPENMATES_COMPOSE=compose2 is not a Compose choice.');
    expect(isOpenmatesError(error) && error.hint).toMatch(/v2 .*v1 .*absolute path/);
  });

  it('reads versions with or without a leading v', () => {
    expect(parseComposeVersion('v2.24.6-desktop.1\n')).toBe('2.24.6-desktop.1');
    expect(parseComposeVersion('1.29.2')).toBe('1.29.2');
    expect(parseComposeVersion('')).toBeUndefined();
  });
});

describe('up and down', () => {
  it('run in the compose file folder with the project, file and env file', async () => {
    const { run, calls } = fakeRunner({ 'docker compose version --short': { stdout: '2.29.1' }, '*': { exitCode: 0 } });
    const compose = await detectCompose({ run });
    await compose.up(project);
    await compose.down(project);
    const [, up, down] = calls;
    expect(up!.file).toBe('docker');
    expect(up!.args).toEqual(['compose', '-p', 'openmates', '-f', '/srv/openmates/compose.yml', '--env-file', '/srv/openmates/.env', 'up', '-d', '--remove-orphans']);
    expect(up!.options.cwd).toBe('/srv/openmates');
    expect(down!.args.slice(-2)).toEqual(['down', '--remove-orphans']);
  });

  it('stop keeps the containers and their volumes', async () => {
    const { run, calls } = fakeRunner({ 'docker-compose version --short': { stdout: '1.29.2' }, '*': { exitCode: 0 } });
    const compose = await detectCompose({ run });
    await compose.stop(project, []);
    const stop = calls.at(-1)!;
    expect(stop.file).toBe('docker-compose');
    expect(stop.args).toEqual(['-p', 'openmates', '-f', '/srv/openmates/compose.yml', '--env-file', '/srv/openmates/.env', 'stop']);
    expect(stop.options.cwd).toBe('/srv/openmates');
  });

  it('never removes volumes', () => {
    expect(downArgs(project)).not.toContain('-v');
    expect(downArgs(project)).not.toContain('--volumes');
    expect(upArgs(project)).toContain('--remove-orphans');
  });

  it('makes relative paths absolute, since cwd moves to the compose folder', () => {
    const args = upArgs({ name: 'x', composeFile: 'stack/compose.yml', envFile: 'stack/.env' });
    expect(args[3]).toBe(`${process.cwd()}/stack/compose.yml`);
    expect(args[5]).toBe(`${process.cwd()}/stack/.env`);
  });

  it("turns a failure into operation-failed with Compose's reason", async () => {
    const { run } = fakeRunner({
      'docker-compose version --short': { stdout: '1.29.2' },
      '*': { exitCode: 1, stderr: 'Creating om_web_1 ... error\nERROR: for web  Cannot start service web: Bind for 127.0.0.1:8080 failed: port is already allocated\nERROR: Encountered errors while bringing up the project.\n' },
    });
    const compose = await detectCompose({ run });
    const error = await rejection(compose.up(project));
    expect(isOpenmatesError(error) && error.kind).toBe('operation-failed');
    expect(isOpenmatesError(error) && error.message).toBe(
      'Compose could not start the stack: Cannot start service web: Bind for 127.0.0.1:8080 failed: port is already allocated.',
    );
    expect(isOpenmatesError(error) && error.details).toHaveLength(3);
  });

  it('validate runs config -q and hands back what Compose printed', async () => {
    const { run, calls } = fakeRunner({
      'docker-compose version --short': { stdout: '1.29.2' },
      '*': { exitCode: 1, stderr: "The Compose file './compose.yml' is invalid because:\n'name' does not match any of the regexes: '^x-'\n" },
    });
    const compose = await detectCompose({ run });
    expect(await compose.validate(project)).toEqual(["The Compose file './compose.yml' is invalid because:", "'name' does not match any of the regexes: '^x-'"]);
    expect(calls.at(-1)!.args.slice(-2)).toEqual(['config', '-q']);
  });

  it('is interrupted when the signal aborts, and hands the signal to the runner', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const { run } = fakeRunner({
      'docker-compose version --short': { stdout: '1.29.2' },
      '*': (options) => {
        seen = options.signal;
        return new Promise<CommandResult>((resolve) => {
          options.signal?.addEventListener('abort', () => resolve({ stdout: '', stderr: '', canceled: true }));
          setTimeout(() => controller.abort(), 5);
        });
      },
    });
    const compose = await detectCompose({ run });
    const error = await rejection(compose.up(project, controller.signal));
    expect(seen?.aborted).toBe(true);
    expect(isOpenmatesError(error) && error.kind).toBe('interrupted');
  });

  it('stops Compose at its deadline', async () => {
    const { run } = fakeRunner({
      'docker-compose version --short': { stdout: '1.29.2' },
      '*': (options) =>
        new Promise<CommandResult>((resolve) => {
          options.signal?.addEventListener('abort', () => resolve({ stdout: '', stderr: 'Creating om_web_1 ...', canceled: true }));
        }),
    });
    const compose = await detectCompose({ run, timeoutMs: 20 });
    const error = await rejection(compose.down(project));
    expect(isOpenmatesError(error) && error.kind).toBe('operation-failed');
    expect(isOpenmatesError(error) && error.message).toBe('Compose did not finish (stop the stack) within 20 ms and was stopped.');
  });
});
