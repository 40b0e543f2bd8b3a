/**
 * Update figures on the test stack:
 * 1. api downtime during a successful update (v1.0.0 -> v1.1.0): the health URL polled every 50 ms,
 *    the time it does not answer healthy, against doing it by hand (edit the tag in .env, then
 *    `docker-compose pull` and `docker-compose up -d`, what upstream's CLI does minus its backup);
 * 2. a failed update (v1.1.0 -> v1.2.0, never healthy): time to detect it and to finish the
 *    rollback (data restored from the pre-update backup), against rolling back by hand (tag back,
 *    `up -d`, no data restore). The update runs with --timeout 20 (the stack's healthTimeout is 60),
 *    though the fixture's failure is found by Compose long before either deadline.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI_BIN, cliEnv, compose, createTestStack, runCli, type TestStack } from '../test/e2e/harness/index.js';

const POLL_MS = 50;

interface Downtime {
  /** Total time the health URL did not answer healthy. */
  downMs: number;
  /** The longest single stretch of it. */
  longestMs: number;
  polls: number;
}

/** Polls `url` every 50 ms while `work` runs; counts the time it does not answer {"status":"healthy"}. */
async function measureDowntime<T>(url: string, work: () => Promise<T>): Promise<{ downtime: Downtime; value: T }> {
  let running = true;
  let downSince: number | undefined;
  const downtime: Downtime = { downMs: 0, longestMs: 0, polls: 0 };
  const poller = (async () => {
    while (running) {
      const at = performance.now();
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) })
        .then(async (response) => response.ok && ((await response.json()) as { status?: string }).status === 'healthy')
        .catch(() => false);
      downtime.polls++;
      const now = performance.now();
      if (!ok && downSince === undefined) downSince = at;
      if (ok && downSince !== undefined) {
        downtime.downMs += now - downSince;
        downtime.longestMs = Math.max(downtime.longestMs, now - downSince);
        downSince = undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - (performance.now() - at))));
    }
  })();
  const value = await work();
  // Keep polling until the api answers again (or 30 s pass) so a gap at the very end is counted.
  const deadline = performance.now() + 30_000;
  while (downSince !== undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  running = false;
  await poller;
  return { downtime, value };
}

async function install(name: string, tag: string): Promise<TestStack> {
  const stack = await createTestStack({ name, tag });
  const result = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
  if (result.exitCode !== 0) throw new Error(`install for the benchmark failed:\n${result.stderr}`);
  return stack;
}

function setTag(stack: TestStack, tag: string): void {
  const env = join(stack.installDir, '.env');
  writeFileSync(env, readFileSync(env, 'utf8').replace(/^OPENMATES_IMAGE_TAG=.*$/m, `OPENMATES_IMAGE_TAG=${tag}`), { mode: 0o600 });
}

const project = (stack: TestStack) => ({ project: stack.project, composeFile: join(stack.installDir, 'docker-compose.yml'), envFile: join(stack.installDir, '.env') });

async function untilHealthy(stack: TestStack, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const ok = await fetch(`${stack.apiUrl}/v1/health`, { signal: AbortSignal.timeout(1000) })
      .then(async (response) => ((await response.json()) as { status?: string }).status === 'healthy')
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${stack.project} did not become healthy in ${timeoutMs} ms`);
}

/** Runs `openmates server update --json`, timing its events as they arrive. */
async function timedUpdate(stack: TestStack, args: string[]): Promise<{ exitCode: number; startedMs: number; endedMs: number; events: { at: number; event: Record<string, unknown> }[] }> {
  const startedMs = performance.now();
  const child = execa(process.execPath, [CLI_BIN, 'server', 'update', '--yes', '--json', '--path', stack.installDir, ...args], {
    env: { ...cliEnv(), OPENMATES_NO_UPDATE_CHECK: '1' },
    reject: false,
    stdin: 'ignore',
    timeout: 300_000,
  });
  const events: { at: number; event: Record<string, unknown> }[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.trim()) events.push({ at: performance.now(), event: JSON.parse(line) as Record<string, unknown> });
  });
  const result = await child;
  return { exitCode: result.exitCode ?? -1, startedMs, endedMs: performance.now(), events };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchUpdate(): Promise<void> {
  const ours = await install('bench-upd', 'v1.0.0');
  const byHand = await install('bench-upd-hand', 'v1.0.0');
  try {
    // 1. A successful update.
    const update = await measureDowntime(`${ours.apiUrl}/v1/health`, () => timedUpdate(ours, ['--to', 'v1.1.0']));
    if (update.value.exitCode !== 0) throw new Error(`the update failed with ${update.value.exitCode}`);
    const manual = await measureDowntime(`${byHand.apiUrl}/v1/health`, async () => {
      const started = performance.now();
      setTag(byHand, 'v1.1.0');
      const pulled = await compose(project(byHand), ['pull']);
      const up = await compose(project(byHand), ['up', '-d', '--remove-orphans']);
      if (pulled.exitCode !== 0 || up.exitCode !== 0) throw new Error(`the manual update failed: ${pulled.stderr}${up.stderr}`);
      await untilHealthy(byHand);
      return performance.now() - started;
    });
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
    console.log('\nUpdate v1.0.0 -> v1.1.0 (api health polled every 50 ms; lower is better)');
    console.log(`  openmates server update      api down ${seconds(update.downtime.downMs)} (longest gap ${seconds(update.downtime.longestMs)}), whole update ${seconds(update.value.endedMs - update.value.startedMs)} incl. pull and backup`);
    console.log(`  tag in .env + compose pull/up api down ${seconds(manual.downtime.downMs)} (longest gap ${seconds(manual.downtime.longestMs)}), whole update ${seconds(manual.value)} (baseline, no backup)`);
    console.log(`  downtime ratio ${ratio(update.downtime.downMs, manual.downtime.downMs)}`);

    // 2. A failed update and its rollback.
    const failed = await measureDowntime(`${ours.apiUrl}/v1/health`, () => timedUpdate(ours, ['--to', 'v1.2.0', '--timeout', '20']));
    const { events, endedMs, exitCode } = failed.value;
    if (exitCode !== 12) throw new Error(`the failing update ended with ${exitCode}, not 12 (rolled back)`);
    const at = (match: (event: Record<string, unknown>) => boolean) => events.find((entry) => match(entry.event))?.at ?? Number.NaN;
    const switched = at((e) => e.type === 'step-started' && e.step === 'switch');
    const detected = at((e) => e.type === 'warning' && String(e.message).includes('did not come up'));
    const restoreStarted = at((e) => e.type === 'step-started' && e.step === 'restore');
    const restoreEnded = at((e) => e.type === 'step-finished' && e.step === 'restore');

    const manualRollback = await (async () => {
      setTag(byHand, 'v1.2.0');
      await compose(project(byHand), ['up', '-d', '--remove-orphans']); // fails: api never healthy
      const started = performance.now();
      setTag(byHand, 'v1.1.0');
      await compose(project(byHand), ['up', '-d', '--remove-orphans']);
      await untilHealthy(byHand);
      return performance.now() - started;
    })();
    console.log('\nFailed update v1.1.0 -> v1.2.0 (--timeout 20; the stack\'s healthTimeout is 60)');
    console.log(`  detected after the switch in  ${seconds(detected - switched)} (Compose reports the unhealthy api; the deadline is not needed)`);
    console.log(`  rollback finished in          ${seconds(endedMs - detected)} (of which restoring the data ${seconds(restoreEnded - restoreStarted)}), healthy on v1.1.0, exit 12`);
    console.log(`  api down during it            ${seconds(failed.downtime.downMs)}`);
    console.log(`  by hand (tag back, up -d)     ${seconds(manualRollback)} (baseline: no data restore); ratio ${ratio(endedMs - detected, manualRollback)}`);
  } finally {
    await ours.cleanup();
    await byHand.cleanup();
  }
}
