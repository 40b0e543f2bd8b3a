import { formatBytes } from '../backup/steps.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { degradedChecks, healthStepOutcome } from '../health/degraded.js';
import type { HealthySnapshot } from '../health/wait-for-healthy.js';
import { openOperationLog } from '../install/install-log.js';
import { pullImages } from '../install/pull-images.js';
import { nestedSink } from './backup-tools.js';
import { deadlineIn, startStack, waitUntilHealthy } from './bring-up.js';
import { readInstalledVersion } from './installed-version.js';
import { rollbackRoute, routeFor, type UpdateRoute } from './recovery.js';
import { rollBack } from './rollback.js';
import { announceSteps, bringUpInput, bringUpVersion, save, step, type Run } from './run-context.js';
import { forwardSteps } from './steps.js';
import { switchVersion } from './switch-version.js';
import type { BackupTools, UpdatePlan, UpdateResult, UpdateState } from './types.js';
import { betweenVersionsError, rollbackFailedError } from './update-errors.js';
import { clearUpdateState, readUpdateState } from './update-state.js';

/** How long a Compose run left behind by a killed update gets to end before it is stopped. */
const LEFTOVER_COMPOSE_TIMEOUT_MS = 120_000;

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
      try {
        await bringUpVersion(run, from, 'rollback-start', 'rollback-health');
      } catch (startError) {
        // The state stays at "backing-up": the next run starts the current version again.
        throw rollbackFailedError({ from, to, failure: error, rollbackError: startError, layout, stack: installed.stack });
      }
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
      return { value: healthy, ...healthStepOutcome(healthy, `All ${healthy.services.length} services ready on ${to}`) };
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

function result(run: Run, outcome: UpdateResult['outcome'], from: string, snapshot: HealthySnapshot | undefined, backupFile?: string): UpdateResult {
  return {
    outcome,
    project: run.plan.project,
    from,
    version: outcome === 'updated' ? run.plan.target : from,
    installDir: run.installed.layout.root,
    services: snapshot?.services ?? [],
    degraded: degradedChecks(snapshot?.checks ?? []),
    ...(backupFile ? { backupFile } : {}),
    logFile: run.log.path,
  };
}

function withHint(error: unknown, hint: string): unknown {
  if (!isOpenmatesError(error)) return error;
  return new OpenmatesError(error.kind, error.message, error.hint ? `${hint} ${error.hint}` : hint, error.details);
}
