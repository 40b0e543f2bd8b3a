import type { CoreDeps } from '../deps.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink, StepId } from '../events.js';
import type { HealthySnapshot } from '../health/wait-for-healthy.js';
import { openOperationLog, type OperationLog } from '../install/install-log.js';
import { pullImages } from '../install/pull-images.js';
import { formatBytes } from '../backup/steps.js';
import { nestedSink } from './backup-tools.js';
import { deadlineIn, startStack, waitUntilHealthy, type BringUpInput } from './bring-up.js';
import { readInstalledVersion, type InstalledVersion } from './installed-version.js';
import { rollbackRoute, routeFor, type UpdateRoute } from './recovery.js';
import { forwardSteps, rollbackSteps } from './steps.js';
import { switchVersion } from './switch-version.js';
import type { BackupTools, UpdatePlan, UpdateResult, UpdateState } from './types.js';
import { betweenVersionsError, rollbackFailedError, rolledBackError } from './update-errors.js';
import { clearUpdateState, nextState, readUpdateState, writeUpdateState } from './update-state.js';

/** How long a Compose run left behind by a killed update gets to end before it is stopped. */
const LEFTOVER_COMPOSE_TIMEOUT_MS = 120_000;

interface Run {
  plan: UpdatePlan;
  deps: CoreDeps;
  sink: EventSink;
  signal: AbortSignal | undefined;
  tools: BackupTools;
  installed: InstalledVersion;
  log: OperationLog;
  state: UpdateState | undefined;
}

/**
 * Carries out an update plan. Images are pulled before anything is stopped; a pre-update backup is
 * taken; then the tag is switched and the stack recreated, with one deadline for health. If the
 * new version does not come up, the previous one is put back by itself (its data restored from
 * the backup when the new version had started on it): that ends in OpenmatesError('rolled-back'),
 * or 'rollback-failed' when even that does not work. Before each step the state is written to
 * <install dir>/update-state.json, so an interrupted run is found, and resolved, by the next one.
 */
export async function runUpdate(plan: UpdatePlan, deps: CoreDeps, outerSink: EventSink, signal: AbortSignal | undefined, tools: BackupTools): Promise<UpdateResult> {
  const installed = await readInstalledVersion(plan.installDir);
  if (!installed) throw new OpenmatesError('not-installed', `Nothing is installed in ${plan.installDir}.`);
  const log = openOperationLog(installed.layout, 'update');
  const sink: EventSink = (event) => {
    log.sink(event);
    outerSink(event);
  };
  const run: Run = { plan, deps, sink, signal, tools, installed, log, state: undefined };
  log.line(`update ${plan.project} in ${installed.layout.root}: ${plan.interrupted ? `resolving the interrupted update ${plan.current} → ${plan.target} (${plan.resume})` : `${plan.current} → ${plan.target}`}`);
  try {
    if (plan.upToDate && !plan.interrupted) return result(run, 'up-to-date', plan.current, undefined);
    run.state = await checkStateUnchanged(run);
    if (plan.interrupted) {
      const leftovers = await (await deps.compose()).waitForOtherRuns(plan.project, LEFTOVER_COMPOSE_TIMEOUT_MS, signal);
      if (leftovers.length > 0) sink({ type: 'info', message: `Waited for the Compose run the interrupted update left behind (pid ${leftovers.join(', ')})` });
    }
    const route = routeFor(run.state, plan.resume);
    if (route.kind === 'back') {
      const snapshot = await rollBack(run, route, undefined);
      return result(run, 'rolled-back', run.state?.from ?? plan.current, snapshot);
    }
    return await goForward(run, route);
  } catch (error) {
    log.line(`failed: ${messageOf(error)}`);
    if (isOpenmatesError(error)) for (const detail of error.details) log.line(`  ${detail}`);
    throw error;
  } finally {
    await log.close();
  }
}

async function goForward(run: Run, route: Extract<UpdateRoute, { kind: 'forward' }>): Promise<UpdateResult> {
  const { plan, deps, sink, signal, installed } = run;
  const { layout } = installed;
  const from = plan.current;
  const to = plan.target;
  let backupFile = route.backupFile;
  announceSteps(run, forwardSteps(from, to, plan.images.length, route.startAt));

  if (route.startAt === 'pull') {
    const short = plan.disk.find((place) => place.enough === false);
    if (short) {
      throw new OpenmatesError(
        'preflight',
        `Not enough free disk for the ${short.what}: ${short.freeBytes} bytes free at ${short.path}, about ${short.neededBytes} needed.`,
        `Free some space (old images: docker image prune), then update again. Nothing was changed.`,
      );
    }
    await save(run, {
      phase: 'pulling',
      from,
      to,
      newVersionStarted: false,
      ...(plan.targetCompose !== undefined ? { targetCompose: plan.targetCompose, previousCompose: plan.currentCompose } : {}),
    });
    try {
      await step(run, 'pull', async () => {
        const { downloaded } = await pullImages(deps.engine, plan.images, sink, signal);
        return { value: downloaded, detail: downloaded > 0 ? `Pulled ${downloaded} of ${plan.images.length} images` : `All ${plan.images.length} images already here` };
      });
    } catch (error) {
      // Nothing was stopped or switched: the install is exactly as before.
      await clearUpdateState(layout);
      throw isOpenmatesError(error) && error.kind === 'interrupted'
        ? new OpenmatesError('interrupted', `Stopped while pulling the images of ${to}; nothing was changed.`)
        : withHint(error, `Nothing was changed: ${from} runs as before.`);
    }

    await save(run, { phase: 'backing-up' });
    try {
      backupFile = await step(run, 'backup', async () => {
        const info = await run.tools.createBackup({ installDir: layout.root, reason: 'pre-update' }, deps, nestedSink(sink, 'backup'), signal);
        return { value: info.file, detail: `${info.file} (${formatBytes(info.bytes)})` };
      });
    } catch (error) {
      if (signal?.aborted) throw betweenVersionsError(from, to, layout, 'while taking the pre-update backup');
      // The backup may have stopped services: put the current version back as it was.
      announceSteps(run, [
        { id: 'rollback-start', title: `Starting ${from} again` },
        { id: 'rollback-health', title: `Waiting for ${from} to become healthy` },
      ]);
      await bringUpVersion(run, from, 'rollback-start', 'rollback-health');
      await clearUpdateState(layout);
      throw withHint(error, `The update did not start: ${from} runs as before.`);
    }
  }

  await save(run, { phase: 'switching', ...(backupFile ? { backupFile } : {}), newVersionStarted: true });
  const deadline = deadlineIn(plan.healthTimeout);
  const input = bringUpInput(run, to);
  try {
    await step(run, 'switch', async () => {
      await switchVersion(layout, installed.stack, to, plan.targetCompose);
      return { value: undefined, detail: `${installed.stack.tagVariable}=${to} in .env` };
    });
    await step(run, 'start', async () => {
      await startStack(input, deadline);
      return { value: undefined, detail: `Compose recreated the services on ${to}` };
    });
    await save(run, { phase: 'waiting' });
    const snapshot = await step(run, 'health', async () => {
      const healthy = await waitUntilHealthy(input, deadline);
      return { value: healthy, detail: `All ${healthy.services.length} services ready on ${to}` };
    });
    await clearUpdateState(layout);
    run.log.line(`updated to ${to}`);
    return result(run, 'updated', from, snapshot, backupFile);
  } catch (failure) {
    if (signal?.aborted) throw betweenVersionsError(from, to, layout, `while switching to ${to}`);
    await rollBack(run, rollbackRoute(run.state), failure);
    throw failure; // not reached: rollBack with a failure always throws
  }
}

/**
 * Puts the previous version back: its tag (and compose file), its data from the pre-update
 * backup when the new version may have written to it, then Compose and a bounded health wait.
 * With a `failure` (an automatic rollback) it always throws: 'rolled-back' when the previous
 * version is healthy again, 'rollback-failed' otherwise. A rollback the user chose returns.
 */
async function rollBack(run: Run, route: Extract<UpdateRoute, { kind: 'back' }>, failure: unknown): Promise<HealthySnapshot> {
  const { installed, sink, signal, deps } = run;
  const { layout, stack } = installed;
  const from = run.state?.from ?? run.plan.current;
  const to = run.state?.to ?? run.plan.target;
  if (failure !== undefined) sink({ type: 'warning', message: `${to} did not come up: ${messageOf(failure)}`, hint: `Rolling back to ${from}.` });
  if (route.dataAtRisk) sink({ type: 'warning', message: `The data volumes cannot be restored: the pre-update backup was not complete.` });
  announceSteps(run, rollbackSteps(from, route.restoreFrom !== undefined));
  await save(run, { phase: 'rolling-back', failure: failure === undefined ? 'rollback chosen by the user' : messageOf(failure) });
  try {
    await step(run, 'rollback', async () => {
      await switchVersion(layout, stack, from, run.state?.previousCompose);
      return { value: undefined, detail: `${stack.tagVariable}=${from} in .env` };
    });
    if (route.restoreFrom) {
      const file = route.restoreFrom;
      await step(run, 'restore', async () => {
        await run.tools.restoreBackup({ installDir: layout.root, file }, deps, nestedSink(sink, 'restore'), signal);
        // The archive's .env names the version it was taken on, which is `from`; make sure of it.
        await switchVersion(layout, stack, from, run.state?.previousCompose);
        return { value: undefined, detail: `Restored from ${file}` };
      });
    }
    // A restore starts the stack itself; then only the health check is left to do.
    const snapshot = route.restoreFrom ? await confirmHealthy(run, from, 'rollback-health') : await bringUpVersion(run, from, 'rollback-start', 'rollback-health');
    await clearUpdateState(layout);
    run.log.line(`rolled back to ${from}`);
    if (failure !== undefined) {
      throw rolledBackError({ from, to, failure, ...(route.restoreFrom ? { restoredFrom: route.restoreFrom } : {}), logFile: run.log.path });
    }
    return snapshot;
  } catch (error) {
    if (isOpenmatesError(error) && error.kind === 'rolled-back') throw error;
    if (signal?.aborted) {
      throw new OpenmatesError('interrupted', `Stopped while rolling back to ${from}.`, `Run \`openmates server update --yes --path ${layout.root}\` to finish the rollback.`);
    }
    throw rollbackFailedError({ from, to, failure, rollbackError: error, ...(run.state?.backupFile ? { backupFile: run.state.backupFile } : {}), layout, stack });
  }
}

async function bringUpVersion(run: Run, version: string, startStep: StepId, healthStep: StepId): Promise<HealthySnapshot> {
  const deadline = deadlineIn(run.plan.healthTimeout);
  const input = bringUpInput(run, version);
  await step(run, startStep, async () => {
    await startStack(input, deadline);
    return { value: undefined, detail: `Compose started the services on ${version}` };
  });
  return step(run, healthStep, async () => {
    const healthy = await waitUntilHealthy(input, deadline);
    return { value: healthy, detail: `All ${healthy.services.length} services ready on ${version}` };
  });
}

async function confirmHealthy(run: Run, version: string, healthStep: StepId): Promise<HealthySnapshot> {
  const deadline = deadlineIn(run.plan.healthTimeout);
  return step(run, healthStep, async () => {
    const healthy = await waitUntilHealthy(bringUpInput(run, version), deadline);
    return { value: healthy, detail: `All ${healthy.services.length} services ready on ${version}` };
  });
}

function bringUpInput(run: Run, version: string): BringUpInput {
  return { deps: run.deps, stack: run.installed.stack, layout: run.installed.layout, sink: run.sink, version, ...(run.signal ? { signal: run.signal } : {}) };
}

/** The state on disk must be the one the plan saw: otherwise another run changed it meanwhile. */
async function checkStateUnchanged(run: Run): Promise<UpdateState | undefined> {
  const onDisk = await readUpdateState(run.installed.layout);
  if (onDisk?.running) {
    throw new OpenmatesError('operation-failed', `Another openmates (pid ${onDisk.pid}) is updating ${run.installed.layout.root} right now.`, 'Wait for it to end, then run this again.');
  }
  const expected = run.plan.interrupted;
  if (Boolean(onDisk) !== Boolean(expected) || (onDisk && expected && (onDisk.from !== expected.from || onDisk.to !== expected.to || onDisk.phase !== expected.phase))) {
    throw new OpenmatesError('operation-failed', `The update state of ${run.installed.layout.root} changed since the update was planned.`, 'Run the update again: it plans from what is there now.');
  }
  if (!onDisk) return undefined;
  const { running: _running, ...state } = onDisk;
  return state;
}

async function save(run: Run, patch: Partial<UpdateState> & Pick<UpdateState, 'phase'>): Promise<void> {
  run.state = nextState(run.state, patch, { from: run.plan.current, to: run.plan.target });
  await writeUpdateState(run.installed.layout, run.state);
  run.log.line(`state: ${run.state.phase}${run.state.backupFile ? `, backup ${run.state.backupFile}` : ''}${run.state.newVersionStarted ? `, ${run.state.to} started` : ''}`);
}

const titles = new WeakMap<Run, Map<StepId, string>>();

function announceSteps(run: Run, steps: { id: string; title: string }[]): void {
  const known = titles.get(run) ?? new Map<StepId, string>();
  for (const planned of steps) known.set(planned.id, planned.title);
  titles.set(run, known);
}

async function step<T>(run: Run, id: StepId, work: () => Promise<{ value: T; detail: string }>): Promise<T> {
  const title = titles.get(run)?.get(id) ?? id;
  run.sink({ type: 'step-started', step: id, title });
  try {
    const { value, detail } = await work();
    run.sink({ type: 'step-finished', step: id, outcome: 'done', detail });
    return value;
  } catch (error) {
    run.sink({ type: 'step-failed', step: id, message: messageOf(error) });
    throw error;
  }
}

function result(run: Run, outcome: UpdateResult['outcome'], from: string, snapshot: HealthySnapshot | undefined, backupFile?: string): UpdateResult {
  return {
    outcome,
    project: run.plan.project,
    from,
    version: outcome === 'updated' ? run.plan.target : from,
    installDir: run.installed.layout.root,
    services: snapshot?.services ?? [],
    ...(backupFile ? { backupFile } : {}),
    logFile: run.log.path,
  };
}

function withHint(error: unknown, hint: string): unknown {
  if (!isOpenmatesError(error)) return error;
  return new OpenmatesError(error.kind, error.message, error.hint ? `${hint} ${error.hint}` : hint, error.details);
}
