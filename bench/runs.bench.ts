/**
 * Isolated runs: `openmates run` (the built CLI) against doing it by hand, `git clone --depth 1`
 * of the branch plus `docker run --rm` with the clone mounted, in the same image (the runner
 * fixture, pulled first so neither side pays for the pull), from local bare repositories of
 * 1 MB and 100 MB of random content (so nothing compresses away). Two figures each: the time to
 * the command's first output line (`echo`), and the whole wall time for `true`. Each repetition
 * times both sides one after the other; medians. Goal: ratio ≤ 1.2.
 * Our side's stderr lines are timed as they arrive too, which splits its time into steps.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI_BIN, cliEnv, dockerOk, fixtureImage, runCli } from '../test/e2e/harness/index.js';

const RUNS = 5;
/** OPENMATES_BENCH_RUN_SIZES=1,100 (megabytes) picks the repositories. */
const SIZES_MB = (process.env.OPENMATES_BENCH_RUN_SIZES ?? '1,100').split(',').map(Number);
const MB = 1024 * 1024;
const FIRST_LINE = 'first-line';

interface Sample {
  firstLineMs: number;
  totalMs: number;
  /** Our side only: when each step's stderr line arrived, from the start. */
  steps: Record<string, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const git = (cwd: string, ...args: string[]) => execa('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', ...args], { cwd, stdin: 'ignore' });

/** A bare repository whose branch main holds `megabytes` of random bytes in 1 MB files (one file for 1 MB). */
async function makeRepository(home: string, megabytes: number): Promise<string> {
  const bare = join(home, `repo-${megabytes}mb.git`);
  const work = join(home, `work-${megabytes}mb`);
  await git(home, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  await git(home, 'clone', '--quiet', bare, work);
  for (let i = 0; i < megabytes; i++) await writeFile(join(work, `data-${i}.bin`), randomBytes(MB));
  await writeFile(join(work, 'README'), `${megabytes} MB of random bytes\n`);
  await git(work, 'add', '.');
  await git(work, 'commit', '--quiet', '-m', 'random content');
  await git(work, 'push', '--quiet', 'origin', 'main');
  await rm(work, { recursive: true, force: true });
  return bare;
}

/** Times a child from its start to the first stdout line equal to `firstLine` (if given), and to its end. */
async function timeChild(file: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; firstLine?: string; stepLines?: Record<string, RegExp> }): Promise<Sample & { stderr: string }> {
  const started = performance.now();
  const child = execa(file, args, { env: options.env, cwd: options.cwd, stdin: 'ignore', reject: false, buffer: false, lines: false });
  let firstLineMs = Number.NaN;
  const steps: Record<string, number> = {};
  let stderr = '';
  let outBuffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!Number.isNaN(firstLineMs) || options.firstLine === undefined) return;
    outBuffer += chunk.toString('utf8');
    if (outBuffer.split('\n').slice(0, -1).includes(options.firstLine)) firstLineMs = performance.now() - started;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    const at = performance.now() - started;
    stderr += chunk.toString('utf8');
    for (const [step, pattern] of Object.entries(options.stepLines ?? {})) if (steps[step] === undefined && pattern.test(stderr)) steps[step] = at;
  });
  const result = await child;
  const totalMs = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} failed (${result.exitCode}): ${stderr.slice(-800)}`);
  if (options.firstLine !== undefined && Number.isNaN(firstLineMs)) throw new Error(`${file} ${args.join(' ')} never printed ${options.firstLine}`);
  return { firstLineMs, totalMs, steps, stderr };
}

const STEP_LINES: Record<string, RegExp> = {
  check: /checking the repository/,
  clone: /cloning…/,
  copy: /copying the repository/,
  start: /starting…/,
  started: /run [0-9a-f]+ started/,
};

async function ours(repo: string, image: string, command: string[], firstLine: string | undefined, cwd: string, started: string[]): Promise<Sample> {
  const sample = await timeChild(process.execPath, [CLI_BIN, 'run', '--repo', repo, '--branch', 'main', '--image', image, '--', ...command], {
    env: { ...process.env, ...cliEnv() },
    cwd,
    ...(firstLine ? { firstLine } : {}),
    stepLines: STEP_LINES,
  });
  const id = /run ([0-9a-f]+) started/.exec(sample.stderr)?.[1];
  if (id) started.push(id);
  return sample;
}

async function byHand(repo: string, image: string, command: string[], firstLine: string | undefined, home: string): Promise<Sample> {
  const dir = await mkdtemp(join(home, 'by-hand-'));
  await rm(dir, { recursive: true });
  const script = 'git clone --quiet --depth 1 --branch main "file://$1" "$2" && shift 3 && exec docker run --rm -v "$DIR:/workspace" -w /workspace --network none "$IMAGE" "$@"';
  try {
    return await timeChild('sh', ['-c', script, 'sh', repo, dir, image, ...command], { env: { ...process.env, DOCKER_HOST: cliEnv().DOCKER_HOST!, DIR: dir, IMAGE: image }, cwd: home, ...(firstLine ? { firstLine } : {}) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function row(label: string, ms: number, baselineMs: number): void {
  console.log(`  ${label.padEnd(44)} median ${ms.toFixed(0).padStart(5)} ms   by hand ${baselineMs.toFixed(0).padStart(5)} ms   ratio ${(ms / baselineMs).toFixed(2)}`);
}

/** `npm run bench runs` */
export async function benchRuns(): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'omt-bench-runs-'));
  const image = fixtureImage('openmates-runner', 'latest');
  const started: string[] = [];
  try {
    await dockerOk(['pull', '--quiet', image], { timeoutMs: 300_000 });
    console.log(`\nIsolated runs: openmates run against git clone --depth 1 + docker run --rm by hand (${RUNS} runs each, medians; goal: ratio ≤ 1.2)`);
    for (const megabytes of SIZES_MB) {
      const repo = await makeRepository(home, megabytes);
      const echo = ['echo', FIRST_LINE];
      // One warm-up of each side: the page cache holds the repository, the engine the image's layers.
      await ours(repo, image, ['true'], undefined, home, started);
      await byHand(repo, image, ['true'], undefined, home);
      const oursFirst: Sample[] = [];
      const handFirst: Sample[] = [];
      const oursTrue: Sample[] = [];
      const handTrue: Sample[] = [];
      for (let run = 0; run < RUNS; run++) {
        oursFirst.push(await ours(repo, image, echo, FIRST_LINE, home, started));
        handFirst.push(await byHand(repo, image, echo, FIRST_LINE, home));
        oursTrue.push(await ours(repo, image, ['true'], undefined, home, started));
        handTrue.push(await byHand(repo, image, ['true'], undefined, home));
      }
      console.log(`\n ${megabytes} MB repository`);
      row('first output line (echo)', median(oursFirst.map((s) => s.firstLineMs)), median(handFirst.map((s) => s.firstLineMs)));
      row('whole command (true)', median(oursTrue.map((s) => s.totalMs)), median(handTrue.map((s) => s.totalMs)));
      const steps = Object.keys(STEP_LINES).map((step) => `${step} ${median(oursFirst.map((s) => s.steps[step] ?? Number.NaN)).toFixed(0)}`);
      console.log(`  our steps (ms from the start, echo runs):   ${steps.join(', ')}, first line ${median(oursFirst.map((s) => s.firstLineMs)).toFixed(0)}`);
    }
  } finally {
    for (const id of started) await runCli(['runs', 'rm', id]).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  }
}
