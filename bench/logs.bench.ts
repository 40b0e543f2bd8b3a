/**
 * Logs: (a) the pipeline, 10 chatty services (1.1 million lines in their logs) through the core
 * into the Logs screen: lines per second, redraws per second and peak RSS after 1,000,000 lines,
 * beside the same process's RSS before the lines flowed (the idle app) and the difference;
 * (b) `openmates server logs --tail 200000` of one service against `docker compose logs`
 * (or docker-compose) on the same container, as a time ratio (below 1: openmates is faster).
 */
import { commonJsBanner, rawTextPlugin } from '../scripts/node-bundle.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { execa } from 'execa';
import { describeSample, type MemorySample } from './memory-sampler.js';
import { CLI_BIN, cliEnv, composeCli, createTestStack, docker, REPO_ROOT, runCli, serviceContainer, type TestStack } from '../test/e2e/harness/index.js';

const PIPELINE_LINES = 1_000_000;
const TAIL = 200_000;
const RUNS = 3;

async function waitUntilWritten(stack: TestStack, services: string[], deadlineMs = 300_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  const pending = new Set(services);
  const ids = new Map<string, string>();
  for (const service of services) ids.set(service, (await serviceContainer(stack.project, service)).id);
  while (pending.size > 0) {
    for (const service of [...pending]) {
      const last = await docker(['logs', '--tail', '1', ids.get(service)!]);
      if (/ done: \d+ lines$/.test(last.stdout.trim())) pending.delete(service);
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) throw new Error(`the chatty services ${[...pending].join(', ')} did not finish writing within ${deadlineMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface PipelineFigures {
  lines: number;
  reached: boolean;
  seconds: number;
  linesPerSecond: number;
  redraws: number;
  redrawsPerSecond: number;
  inkRenders: number;
  inkRenderMs: number;
  maxRssMB: number;
  /** The same process before any line flowed. */
  idle: MemorySample;
  /** The sample with the highest RSS while the lines flowed, by where it was. */
  peak: MemorySample;
}

/** The issue's aims for the Logs screen's memory. */
const PEAK_RSS_AIM_MB = 150;
const ABOVE_IDLE_AIM_MB = 60;

/**
 * Bundles bench/logs-pipeline.tsx the way scripts/build.mjs bundles the CLI (production React, the
 * built-in stack file as text), so the child runs what users run. OPENMATES_BENCH_MINIFY=0 keeps
 * the names, for a CPU profile (node --cpu-prof <dir>/logs-pipeline.mjs ...).
 */
export async function buildPipeline(dir: string): Promise<string> {
  await build({
    entryPoints: { 'logs-pipeline': join(REPO_ROOT, 'bench', 'logs-pipeline.tsx') },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // As for the CLI: Ink's dev tools stay in a chunk that is never loaded.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: process.env.OPENMATES_BENCH_MINIFY !== '0',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['cpu-features', 'react-devtools-core', '*.node'],
    plugins: [rawTextPlugin],
    banner: commonJsBanner,
  });
  return join(dir, 'logs-pipeline.mjs');
}

async function pipeline(script: string, mode: 'screen' | 'core', installDir: string, env: Record<string, string>): Promise<PipelineFigures> {
  const result = await execa(process.execPath, [script, mode, installDir, String(PIPELINE_LINES)], {
    env,
    cwd: REPO_ROOT,
    reject: false,
    timeout: 360_000,
  });
  if (result.exitCode !== 0) throw new Error(`the ${mode} pipeline run failed (${result.exitCode}):\n${String(result.stderr).slice(-2000)}`);
  return JSON.parse(String(result.stdout).trim().split('\n').at(-1)!) as PipelineFigures;
}

/** Median wall time of `command` over RUNS runs (after one warm-up), its output counted and thrown away. */
async function timeDump(command: string[], env: Record<string, string>): Promise<{ medianMs: number; lines: number }> {
  const once = async () => {
    const started = performance.now();
    const child = execa(command[0]!, command.slice(1), { env, stdin: 'ignore', stdout: 'pipe', buffer: false, reject: false });
    let lines = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    const result = await child;
    if (result.exitCode !== 0) throw new Error(`${command.join(' ')} failed (${result.exitCode})`);
    return { ms: performance.now() - started, lines };
  };
  const warm = await once();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push((await once()).ms);
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, lines: warm.lines };
}

const number = (value: number) => Math.round(value).toLocaleString('en-US');

export async function benchLogs(): Promise<void> {
  const stack = await createTestStack({ name: 'bench-logs', fixtureDir: join(REPO_ROOT, 'test', 'fixtures', 'chatty-stack') });
  try {
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir, '--tag', 'latest']);
    if (installed.exitCode !== 0) throw new Error(`install of the chatty stack failed:\n${installed.stderr}`);
    const services = Array.from({ length: 10 }, (_, i) => `chatty${i + 1}`);
    const writing = performance.now();
    await waitUntilWritten(stack, services);
    console.log(`\nLogs (10 chatty services wrote 1,100,000 lines in ${((performance.now() - writing) / 1000).toFixed(0)} s)`);

    const env = { ...process.env, ...cliEnv() } as Record<string, string>;
    const buildDir = mkdtempSync(join(tmpdir(), 'omt-bench-logs-'));
    let screen: PipelineFigures;
    let core: PipelineFigures;
    try {
      const script = await buildPipeline(buildDir);
      screen = await pipeline(script, 'screen', stack.installDir, env);
      core = await pipeline(script, 'core', stack.installDir, env);
    } finally {
      rmSync(buildDir, { recursive: true, force: true });
    }
    for (const [label, figures] of [
      ['core + Logs screen', screen],
      ['core alone', core],
    ] as const) {
      if (!figures.reached) console.log(`  ${label}: only ${number(figures.lines)} lines arrived before the deadline`);
      console.log(
        `  ${label.padEnd(20)} ${number(figures.lines)} lines in ${figures.seconds.toFixed(1)} s = ${number(figures.linesPerSecond)} lines/s` +
          `${label === 'core alone' ? '' : `, ${figures.redrawsPerSecond.toFixed(1)} redraws/s (Ink ${(figures.inkRenderMs / Math.max(1, figures.inkRenders)).toFixed(0)} ms each)`}`,
      );
      const above = figures.maxRssMB - figures.idle.rssMB;
      const aims = label === 'core alone' ? ['', ''] : [`  aim < ${PEAK_RSS_AIM_MB} MB: ${figures.maxRssMB < PEAK_RSS_AIM_MB ? 'met' : 'not met'}`, `  aim < ${ABOVE_IDLE_AIM_MB} MB: ${above < ABOVE_IDLE_AIM_MB ? 'met' : 'not met'}`];
      console.log(`    peak RSS after ${number(PIPELINE_LINES)} lines ${figures.maxRssMB.toFixed(0).padStart(4)} MB${aims[0]}`);
      console.log(`    idle (same process, no lines yet) ${figures.idle.rssMB.toFixed(0).padStart(4)} MB: ${describeSample(figures.idle)}`);
      console.log(`    peak above idle               ${above.toFixed(0).padStart(4)} MB${aims[1]}`);
      console.log(`    at the peak: ${describeSample(figures.peak)}`);
    }
    console.log('  aims: >= 50,000 lines/s, <= ~30 redraws/s');

    const compose = await composeCli();
    const composeFile = join(stack.installDir, 'docker-compose.yml');
    const envFile = join(stack.installDir, '.env');
    const theirs = await timeDump([...compose, '-p', stack.project, '-f', composeFile, '--env-file', envFile, 'logs', `--tail=${TAIL}`, 'chatty1'], env);
    const ours = await timeDump([process.execPath, CLI_BIN, 'server', 'logs', '--service', 'chatty1', '--tail', String(TAIL), '--path', stack.installDir], env);
    console.log(`\nLogs dump: --tail ${number(TAIL)} of one service, median of ${RUNS} (lower is better)`);
    console.log(`  ${`openmates server logs`.padEnd(36)} ${number(ours.medianMs).padStart(7)} ms  ${number(ours.lines)} lines  ratio ${(ours.medianMs / theirs.medianMs).toFixed(2)}`);
    console.log(`  ${`${compose.join(' ')} logs`.padEnd(36)} ${number(theirs.medianMs).padStart(7)} ms  ${number(theirs.lines)} lines  (baseline)`);
  } finally {
    await stack.cleanup();
  }
}
