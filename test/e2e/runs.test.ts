import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../src/core/runs/index.js';
import { CLI_BIN, cliEnv, docker, dockerOk, fixtureImage, runCli, type CliResult } from './harness/index.js';

const GIT_TOKEN = 'ghp_runsTestToken0123456789abcdefABCDEF';
const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=test', ...args], { cwd });

/** A bare repository with two branches, made with Debian's git, plus a work tree whose origin it is. */
async function makeRepositories(): Promise<{ bare: string; work: string; home: string }> {
  const home = await mkdtemp(join(tmpdir(), 'omt-runs-'));
  const bare = join(home, 'project.git');
  const work = join(home, 'work');
  await git(home, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  await git(home, 'clone', '--quiet', bare, work);
  await writeFile(join(work, 'which.txt'), 'branch main\n');
  await git(work, 'add', '.');
  await git(work, 'commit', '--quiet', '-m', 'main');
  await git(work, 'push', '--quiet', 'origin', 'main');
  await git(work, 'checkout', '--quiet', '-b', 'feature');
  await writeFile(join(work, 'which.txt'), 'branch feature\n');
  await git(work, 'commit', '--quiet', '-am', 'feature');
  await git(work, 'push', '--quiet', 'origin', 'feature');
  await git(work, 'checkout', '--quiet', 'main');
  return { bare, work, home };
}

const runJson = (result: CliResult): RunInfo => {
  const last = result.stdout.trim().split('\n').at(-1)!;
  return (JSON.parse(last) as { run: RunInfo }).run;
};

async function runContainers(): Promise<string[]> {
  return (await dockerOk(['ps', '-a', '--filter', 'label=openmates.run', '--format', '{{.Names}}'])).split('\n').filter(Boolean);
}

describe('openmates run: a command from a git repository in a throw-away container (real engine, real git)', () => {
  let repos: { bare: string; work: string; home: string };
  const image = () => fixtureImage('openmates-runner', 'latest');
  const env = () => ({ ...cliEnv(), GIT_TOKEN });
  const cli = (args: string[], options: { cwd?: string; timeoutMs?: number } = {}) => runCli(args, { env: env(), cwd: options.cwd ?? repos.home, timeoutMs: options.timeoutMs ?? 120_000 });

  beforeAll(async () => {
    repos = await makeRepositories();
  });
  afterAll(async () => {
    await cli(['runs', 'rm', '--finished']);
  });

  it("sees the branch's files as a non-root user, gets its env, and exits with the command's exit code", async () => {
    const result = await cli(['run', '--repo', repos.bare, '--branch', 'feature', '--image', image(), '--env', 'GREETING=hello', '--', 'sh', '-c', 'cat which.txt; echo "greeting=$GREETING"; id -u; touch made-here && echo writable; exit 3']);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stdout).toContain('branch feature');
    expect(result.stdout).toContain('greeting=hello');
    expect(result.stdout).toMatch(/^1000$/m);
    expect(result.stdout).toContain('writable');
    expect(result.stderr).toMatch(/repo: +.*project\.git \(from the command line\)/);
    expect(result.stderr).toContain('failed with exit code 3');
    const main = await cli(['run', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--', 'cat', 'which.txt']);
    expect(main.exitCode).toBe(0);
    expect(main.stdout).toBe('branch main\n');
  });

  it('has no network unless asked, and no host mounts', async () => {
    const result = await cli(['run', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--json', '--', 'sh', '-c', 'ip -o link | grep -v " lo:" | wc -l']);
    expect(result.exitCode, result.stderr).toBe(0);
    const run = runJson(result);
    const inspected = JSON.parse(await dockerOk(['inspect', `openmates-run-${run.id}`])) as [{ HostConfig: { NetworkMode: string; Binds: string[] | null; Privileged: boolean; Memory: number; NanoCpus: number }; Mounts: unknown[] }];
    expect(inspected[0].HostConfig).toMatchObject({ NetworkMode: 'none', Privileged: false, Memory: 1024 ** 3, NanoCpus: 1e9 });
    expect(inspected[0].Mounts).toEqual([]);
    expect(result.stdout).toContain('"text":"0\\n"');
  });

  it('a run past its deadline is killed: exit 124, marked timed out, nothing left running', async () => {
    const result = await cli(['run', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--timeout', '2', '--json', '--', 'sleep', '60']);
    expect(result.exitCode, result.stderr).toBe(124);
    const run = runJson(result);
    expect(run.status).toBe('timed out');
    const state = await dockerOk(['inspect', '--format', '{{.State.Running}}', `openmates-run-${run.id}.timed-out`]);
    expect(state.trim()).toBe('false');
  });

  it('--detach returns the id at once; `runs logs -f` follows it from another process; `runs cancel` ends it', async () => {
    const started = await cli(['run', '--detach', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done']);
    expect(started.exitCode, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    const follow = execa(process.execPath, [CLI_BIN, 'runs', 'logs', id, '-f'], { env: env(), reject: false });
    let followed = '';
    follow.stdout?.on('data', (chunk: Buffer) => (followed += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!followed.includes('tick 3') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(followed).toContain('tick 3');
    const listed = (JSON.parse((await cli(['runs', '--json'])).stdout) as { runs: RunInfo[] }).runs.find((run) => run.id === id);
    expect(listed).toMatchObject({ status: 'running', repo: repos.bare, branch: 'main', command: ['sh', '-c', expect.stringContaining('tick')] });
    const cancelled = await cli(['runs', 'cancel', id]);
    expect(cancelled.exitCode, cancelled.stderr).toBe(0);
    const followEnd = await follow;
    expect(followEnd.exitCode).toBe(0);
    const status = JSON.parse((await cli(['runs', 'status', id, '--json'])).stdout) as { run: RunInfo };
    expect(status.run).toMatchObject({ status: 'cancelled', exitCode: 130 });
    // Its output stays after it ended.
    expect((await cli(['runs', 'logs', id])).stdout).toContain('tick 1');
  });

  it('settings: flags over .openmates-run.yaml over the folder\'s git remote and branch, and the first lines say which', async () => {
    // The work tree: origin is the bare repository, the branch checked out is main.
    const fromGit = await cli(['run', '--image', image(), '--', 'cat', 'which.txt'], { cwd: repos.work });
    expect(fromGit.exitCode, fromGit.stderr).toBe(0);
    expect(fromGit.stdout).toBe('branch main\n');
    expect(fromGit.stderr).toMatch(/repo: +.*project\.git \(from this folder's git remote\)/);
    expect(fromGit.stderr).toMatch(/branch: +main \(from this folder's branch\)/);

    const folder = join(repos.home, 'with-file');
    await mkdir(folder);
    await writeFile(join(folder, '.openmates-run.yaml'), `repo: ${repos.bare}\nbranch: feature\nimage: ${image()}\nenv:\n  FROM_FILE: yes\n`);
    const fromFile = await cli(['run', '--', 'sh', '-c', 'cat which.txt; echo "file=$FROM_FILE"'], { cwd: folder });
    expect(fromFile.exitCode, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toBe('branch feature\nfile=yes\n');
    expect(fromFile.stderr).toMatch(/branch: +feature \(from \.openmates-run\.yaml\)/);
    const overridden = await cli(['run', '--branch', 'main', '--', 'cat', 'which.txt'], { cwd: folder });
    expect(overridden.stdout).toBe('branch main\n');
    expect(overridden.stderr).toMatch(/branch: +main \(from the command line\)/);

    const nowhere = await mkdtemp(join(tmpdir(), 'omt-runs-empty-'));
    const none = await cli(['run', '--image', image(), '--', 'true'], { cwd: nowhere });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/not a git work tree.*--repo/s);
  });

  it('a missing branch and a missing image fail before anything starts', async () => {
    const before = await runContainers();
    const noBranch = await cli(['run', '--repo', repos.bare, '--branch', 'nope', '--image', image(), '--', 'true']);
    expect(noBranch.exitCode).toBe(2);
    expect(noBranch.stderr).toContain('has no branch nope');
    const noImage = await cli(['run', '--repo', repos.bare, '--branch', 'main', '--image', fixtureImage('openmates-no-such-image', 'latest'), '--', 'true']);
    expect(noImage.exitCode).toBe(2);
    expect(noImage.stderr).toMatch(/openmates-no-such-image:latest is not on this server and could not be pulled/);
    expect(await runContainers()).toEqual(before);
  });

  it('10 runs at once each see only their own copy', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => cli(['run', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--', 'sh', '-c', `echo ${i} > mine-${i}; sleep 1; ls mine-* | tr '\\n' ' '`], { timeoutMs: 240_000 })),
    );
    results.forEach((result, i) => {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe(`mine-${i}`);
    });
  }, 300_000);

  it('GIT_TOKEN appears in no output, label, environment or log', async () => {
    const result = await cli(['run', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--json', '--', 'sh', '-c', 'env; cat which.txt']);
    expect(result.exitCode, result.stderr).toBe(0);
    const run = runJson(result);
    const inspected = await dockerOk(['inspect', `openmates-run-${run.id}`]);
    const logs = await docker(['logs', `openmates-run-${run.id}`]);
    for (const text of [result.stdout, result.stderr, inspected, logs.stdout, logs.stderr, (await cli(['runs', '--json'])).stdout]) expect(text).not.toContain(GIT_TOKEN);
  });

  it('the CLI killed with -9 mid-run: the run goes on, `runs` shows it, and it ends as it would have (its deadline too)', async () => {
    const child = execa(process.execPath, [CLI_BIN, 'run', '--json', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--', 'sh', '-c', 'sleep 3; echo finished; exit 4'], { env: env(), reject: false });
    const timed = execa(process.execPath, [CLI_BIN, 'run', '--json', '--timeout', '4', '--repo', repos.bare, '--branch', 'main', '--image', image(), '--', 'sleep', '60'], { env: env(), reject: false });
    const idOf = async (process: typeof child) => {
      let out = '';
      process.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const deadline = Date.now() + 60_000;
      while (!/"step":"start"/.test(out) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 500));
      return out;
    };
    await Promise.all([idOf(child), idOf(timed)]);
    child.kill('SIGKILL');
    timed.kill('SIGKILL');
    await Promise.all([child, timed]);
    const running = (JSON.parse((await cli(['runs', '--json'])).stdout) as { runs: RunInfo[] }).runs.filter((run) => run.status === 'running');
    const finishing = running.find((run) => run.command.join(' ').includes('finished'));
    const sleeping = running.find((run) => run.command.join(' ') === 'sleep 60');
    expect(finishing, JSON.stringify(running)).toBeDefined();
    expect(sleeping).toBeDefined();
    const deadline = Date.now() + 60_000;
    let ended: RunInfo[] = [];
    while (Date.now() < deadline) {
      ended = (JSON.parse((await cli(['runs', '--json'])).stdout) as { runs: RunInfo[] }).runs.filter((run) => run.id === finishing!.id || run.id === sleeping!.id);
      if (ended.every((run) => run.status !== 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(ended.find((run) => run.id === finishing!.id)).toMatchObject({ status: 'failed', exitCode: 4 });
    expect(ended.find((run) => run.id === sleeping!.id)).toMatchObject({ status: 'timed out', exitCode: 124 });
    expect((await cli(['runs', 'logs', finishing!.id])).stdout).toContain('finished');
  }, 180_000);
});
