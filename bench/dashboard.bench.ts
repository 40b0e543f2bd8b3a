/**
 * What the idle dashboard costs: CPU time of `openmates` (the full-screen app in tmux, and the core
 * watch alone in a child process) over a minute on an installed, healthy test stack, as % of one
 * core, against what a user would otherwise run to watch the same containers: `docker stats`
 * (live), and `docker stats --no-stream` polled every second. CPU is read from /proc/<pid>/stat
 * (user + system, all threads; for the polling loop, its reaped children).
 * BENCH_SECONDS shortens the windows (default 60).
 */
import { commonJsBanner, rawTextPlugin } from '../scripts/node-bundle.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa, type ResultPromise } from 'execa';
import { cliEnv, createTestStack, dockerOk, killAllTmuxSessions, REPO_ROOT, runCli, startCliInTmux, testEnv } from '../test/e2e/harness/index.js';

const TICKS_PER_SECOND = 100; // CLK_TCK on Linux
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface CpuTimes {
  own: number;
  children: number;
}

/** utime + stime (own), cutime + cstime (reaped children), in seconds. */
function cpuTimes(pid: number): CpuTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return { own: (fields[11]! + fields[12]!) / TICKS_PER_SECOND, children: (fields[13]! + fields[14]!) / TICKS_PER_SECOND };
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

interface Row {
  label: string;
  cpuSeconds: number;
  seconds: number;
  note?: string;
}

async function measureWhile(pid: number, seconds: number): Promise<number> {
  const before = cpuTimes(pid).own;
  await sleep(seconds * 1000);
  return cpuTimes(pid).own - before;
}

export async function benchDashboard(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS) || 60;
  const warmUpMs = 8_000;
  const stack = await createTestStack({ name: 'benchdash' });
  const rows: Row[] = [];
  try {
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    if (installed.exitCode !== 0) throw new Error(`install for the benchmark failed:\n${installed.stderr}`);
    const env = { ...process.env, ...cliEnv() } as Record<string, string>;
    const ids = (await dockerOk(['ps', '-q', '--filter', `label=com.docker.compose.project=${stack.project}`])).split('\n').filter(Boolean);

    // 1. The full-screen app, idle on the dashboard.
    const app = await startCliInTmux(['--path', stack.installDir], { cols: 100, rows: 30 });
    await app.waitForText('6/6 services healthy', 30_000);
    await app.waitForText(/\d+\.\d% of \d+ cores/, 30_000);
    const panePid = Number((await execa('tmux', ['-S', app.socket, 'display-message', '-p', '-t', 'main', '#{pane_pid}'])).stdout.trim());
    const appPid = childPids(panePid)[0];
    if (!appPid) throw new Error('could not find the app process in tmux');
    await sleep(warmUpMs);
    rows.push({ label: 'openmates (dashboard screen, idle)', cpuSeconds: await measureWhile(appPid, seconds), seconds });
    await app.sendKeys('q');
    await app.waitForExit();
    await killAllTmuxSessions();

    // 2. The core watch alone (no screen), bundled like the CLI: what rendering costs is the difference.
    const child = execa(process.execPath, [await bundleWatchChild(), stack.installDir], { env: { ...env, DOCKER_HOST: testEnv().dockerHost }, reject: false });
    await waitForLine(child, 'live');
    await sleep(warmUpMs);
    const watchCpu = await measureWhile(child.pid!, seconds);
    child.kill('SIGTERM');
    const watched = await child;
    const snapshots = (JSON.parse(String(watched.stdout).split('\n').filter(Boolean).at(-1) ?? '{}') as { snapshots?: number }).snapshots;
    rows.push({ label: 'openmates core watch (no screen)', cpuSeconds: watchCpu, seconds, note: snapshots ? `${snapshots} snapshots in all` : undefined });

    // 3. docker stats, live, on the same containers.
    const stats = execa('docker', ['stats', ...ids], { env: { ...process.env, DOCKER_HOST: testEnv().dockerHost }, reject: false, stdout: 'ignore', stderr: 'ignore' });
    await sleep(3_000);
    rows.push({ label: 'docker stats (live)', cpuSeconds: await measureWhile(stats.pid!, seconds), seconds });
    stats.kill('SIGTERM');
    await stats;

    // 4. docker stats --no-stream every second: CPU of the loop and the docker processes it reaped.
    const loop = execa(
      'bash',
      ['-c', `end=$((SECONDS+${seconds})); n=0; while [ $SECONDS -lt $end ]; do docker stats --no-stream ${ids.join(' ')} >/dev/null; n=$((n+1)); sleep 1; done; echo $n; cat /proc/$$/stat`],
      { env: { ...process.env, DOCKER_HOST: testEnv().dockerHost }, reject: false },
    );
    const started = Date.now();
    const done = await loop;
    const [count, stat] = String(done.stdout).trim().split('\n') as [string, string];
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const loopCpu = (fields[11]! + fields[12]! + fields[13]! + fields[14]!) / TICKS_PER_SECOND;
    rows.push({ label: 'docker stats --no-stream, every second', cpuSeconds: loopCpu, seconds: (Date.now() - started) / 1000, note: `${count} runs` });
  } finally {
    await killAllTmuxSessions();
    await stack.cleanup();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  }
  printRows(rows);
}

/** `import text from './file?raw'` (the built-in stack file), as scripts/build.mjs does it. */
let bundleDir: string | undefined;

/** Bundles bench/dashboard-watch-child.ts the way the CLI is bundled (minified, one file). */
async function bundleWatchChild(): Promise<string> {
  bundleDir = mkdtempSync(join(tmpdir(), 'omt-bench-watch-'));
  const outfile = join(bundleDir, 'watch.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'bench', 'dashboard-watch-child.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [rawTextPlugin],
    external: ['cpu-features', '*.node'],
    banner: commonJsBanner,
    minify: true,
    logLevel: 'warning',
  });
  return outfile;
}

function waitForLine(child: ResultPromise, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const timer = setTimeout(() => reject(new Error(`the watch did not say "${line}" within 30 s: ${seen}${errors.slice(-1500)}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function printRows(rows: Row[]): void {
  const baseline = rows.find((row) => row.label === 'docker stats (live)');
  const percent = (row: Row) => (row.cpuSeconds / row.seconds) * 100;
  console.log(`\nIdle dashboard CPU (6 containers, healthy; % of one core over ${Math.round(rows[0]?.seconds ?? 0)} s; lower is better)`);
  for (const row of rows) {
    const ratio = row === baseline ? '(baseline)' : baseline ? `ratio ${(percent(row) / percent(baseline)).toFixed(2)}` : '';
    console.log(`  ${row.label.padEnd(42)} ${percent(row).toFixed(2).padStart(6)} %  (${row.cpuSeconds.toFixed(2)} s CPU in ${row.seconds.toFixed(0)} s)  ${ratio}${row.note ? `  ${row.note}` : ''}`);
  }
}
