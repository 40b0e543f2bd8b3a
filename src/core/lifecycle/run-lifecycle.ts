import { healthStepOutcome } from '../health/degraded.js';
import { isDependencyFailure } from '../../docker/compose-output.js';
import type { ContainerSummary, DockerEngine } from '../../docker/types.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink, StepId } from '../events.js';
import { READY_STATES } from '../health/service-state.js';
import { takeSnapshot, unhealthyError, waitForHealthy, type HealthWaitInput, type HealthySnapshot } from '../health/wait-for-healthy.js';
import { installLayout } from '../install-dir.js';
import { openOperationLog } from '../install/install-log.js';
import { humanSize } from './human-size.js';
import type { LifecyclePlan, LifecycleResult } from './types.js';
import { removeStaleContainers } from '../stale-containers.js';

const RESUME_HINT = 'Run `openmates server start` to bring the stack up; it starts what is stopped and leaves what runs.';

/**
 * Carries out a start, stop or restart plan. Restart = Compose stop (down when the cache is
 * cleared: a volume cannot go while a container still refers to it), then the cache volumes
 * (exactly those the plan lists, re-checked), then Compose up -d and the same bounded health
 * wait as install. Works whatever state the stack is in: up, half up, down, or crashed.
 */
export async function runLifecycle(plan: LifecyclePlan, deps: CoreDeps, outerSink: EventSink, signal?: AbortSignal): Promise<LifecycleResult> {
  const log = openOperationLog(installLayout(plan.installDir), plan.action);
  const sink: EventSink = (event) => {
    log.sink(event);
    outerSink(event);
  };
  const titleOf = (id: StepId) => plan.steps.find((candidate) => candidate.id === id)?.title ?? id;
  const step = async <T>(id: StepId, work: () => Promise<{ value: T; detail: string; outcome?: 'done' | 'skipped' | 'warning' }>): Promise<T> => {
    const title = titleOf(id);
    if (signal?.aborted) throw new OpenmatesError('interrupted', `Stopped before "${title}".`, plan.action === 'stop' ? undefined : RESUME_HINT);
    sink({ type: 'step-started', step: id, title });
    try {
      const { value, detail, outcome = 'done' } = await work();
      sink({ type: 'step-finished', step: id, outcome, detail });
      return value;
    } catch (error) {
      sink({ type: 'step-failed', step: id, message: messageOf(error) });
      throw error;
    }
  };

  const { engine } = deps;
  const started = Date.now();
  let stoppedAt: number | undefined;
  let cleared: string[] = [];
  let cacheFailure: OpenmatesError | undefined;
  log.line(`${plan.action} ${plan.project} ${plan.version} in ${plan.installDir}${plan.clearCache ? ' (clearing the cache)' : ''}`);
  try {
    if (plan.action === 'stop' || plan.action === 'restart') {
      await step('stop', async () => {
        const before = runningContainers(await engine.projectContainers(plan.project));
        stoppedAt = Date.now();
        const compose = await deps.compose();
        await interruptible(() => (plan.clearCache ? compose.down(plan.compose, signal) : compose.stop(plan.compose, [], signal)), signal);
        if (before.length === 0 && !plan.clearCache) return { value: undefined, detail: 'Nothing was running', outcome: 'skipped' };
        return { value: undefined, detail: `Stopped ${before.length} container${before.length === 1 ? '' : 's'}${plan.clearCache ? ' and removed them' : ''}` };
      });
    }

    if (plan.action === 'restart' && plan.clearCache) {
      try {
        cleared = await step('clear-cache', () => clearCache(plan, engine, sink));
      } catch (error) {
        if (!isOpenmatesError(error) || error.kind === 'interrupted' || error.kind === 'engine-unreachable') throw error;
        // The stack is down now: bring it back first, and report the cache afterwards.
        cacheFailure = error;
      }
    }

    if (plan.action === 'stop') {
      const after = await takeSnapshot({ ...healthInput(plan, engine, sink, signal), checks: [] });
      log.line('stop finished');
      return result(plan, after, cleared, log.path, started);
    }

    await step('start', async () => {
      const created = await ensureNetworks(plan, engine);
      const compose = await deps.compose();
      await startStack(plan, compose, engine, sink, signal);
      return { value: undefined, detail: `Started ${plan.project} with ${compose.command}${created.length > 0 ? ` (created the network ${created.join(', ')})` : ''}` };
    });

    const healthy = await step('health', async () => {
      try {
        const snapshot = await waitForHealthy(healthInput(plan, engine, sink, signal));
        return { value: snapshot, ...healthStepOutcome(snapshot, `All ${snapshot.services.length} services ready, ${snapshot.checks.length} health checks answering`) };
      } catch (error) {
        throw withLifecycleHint(error);
      }
    });

    if (cacheFailure) {
      throw new OpenmatesError('operation-failed', `The stack is back up and healthy, but the cache was not cleared: ${cacheFailure.message}`, cacheFailure.hint, cacheFailure.details);
    }
    log.line(`${plan.action} finished`);
    return {
      ...result(plan, healthy, cleared, log.path, started),
      ...(stoppedAt !== undefined && plan.action === 'restart' ? { downtimeSeconds: Math.round((Date.now() - stoppedAt) / 100) / 10 } : {}),
    };
  } catch (error) {
    log.line(`failed: ${messageOf(error)}`);
    if (isOpenmatesError(error)) for (const detail of error.details) log.line(`  ${detail}`);
    throw error;
  } finally {
    await log.close();
  }
}

function runningContainers(containers: ContainerSummary[]): ContainerSummary[] {
  return containers.filter((container) => container.state === 'running' || container.state === 'restarting');
}

function healthInput(plan: LifecyclePlan, engine: DockerEngine, sink: EventSink, signal: AbortSignal | undefined): HealthWaitInput {
  return {
    engine,
    project: plan.project,
    expectedServices: plan.expectedServices,
    oneShotServices: plan.oneShotServices,
    checks: plan.stack.health,
    timeoutSeconds: plan.healthTimeout,
    sink,
    ...(signal ? { signal } : {}),
  };
}

function result(plan: LifecyclePlan, snapshot: HealthySnapshot, cleared: string[], logFile: string, started: number): LifecycleResult {
  return {
    action: plan.action,
    project: plan.project,
    version: plan.version,
    installDir: plan.installDir,
    services: snapshot.services,
    checks: snapshot.checks,
    urls: plan.stack.urls,
    clearedVolumes: cleared,
    logFile,
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** A Compose call stopped by Ctrl-C says how to finish the job. */
async function interruptible(run: () => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (signal?.aborted || (isOpenmatesError(error) && error.kind === 'interrupted')) {
      throw new OpenmatesError('interrupted', 'Stopped while Compose was working on the stack.', RESUME_HINT);
    }
    throw error;
  }
}

/**
 * Deletes the plan's cache volumes that still exist, by exact name, after listing each one.
 * A data volume is never among them: the plan leaves out any name the stack also lists as data,
 * and this checks again.
 */
async function clearCache(plan: LifecyclePlan, engine: DockerEngine, sink: EventSink): Promise<{ value: string[]; detail: string; outcome?: 'skipped' }> {
  const listed = plan.cacheVolumes.map((volume) => volume.name).filter((name) => !plan.dataVolumes.includes(name) && plan.stack.volumes.cache.includes(name));
  const present = await engine.existingVolumes(listed);
  if (present.length === 0) return { value: [], detail: 'No cache volumes to delete', outcome: 'skipped' };
  for (const name of present) {
    const size = plan.cacheVolumes.find((volume) => volume.name === name)?.sizeBytes;
    sink({ type: 'info', message: `Deleting the cache volume ${name}${size !== undefined ? ` (${humanSize(size)})` : ''}` });
  }
  const removed = await engine.removeVolumes(present);
  return { value: removed, detail: `Deleted ${removed.join(', ')}; data volumes untouched` };
}

async function ensureNetworks(plan: LifecyclePlan, engine: DockerEngine): Promise<string[]> {
  const created: string[] = [];
  for (const network of plan.stack.networks) {
    if (await engine.networkExists(network)) continue;
    await engine.createNetwork(network);
    created.push(network);
  }
  return created;
}

/** Compose up; when it fails because a service never got ready, the error names it with its logs. */
async function startStack(plan: LifecyclePlan, compose: Awaited<ReturnType<CoreDeps['compose']>>, engine: DockerEngine, sink: EventSink, signal: AbortSignal | undefined): Promise<void> {
  const deadline = AbortSignal.timeout(plan.healthTimeout * 1000);
  await removeStaleContainers(engine, plan.compose.name, sink);
  try {
    await interruptible(() => compose.up(plan.compose, signal ? AbortSignal.any([signal, deadline]) : deadline), signal);
  } catch (error) {
    if (signal?.aborted || (isOpenmatesError(error) && error.kind === 'interrupted' && !deadline.aborted)) throw error;
    // Not a service that never got ready but Compose's own failure (a rejected file, a name conflict): say that.
    if (!deadline.aborted && !isDependencyFailure(isOpenmatesError(error) ? error.details : [])) throw error;
    const snapshot = await takeSnapshot(healthInput(plan, engine, sink, signal));
    if (snapshot.services.some((service) => !READY_STATES.includes(service.state))) {
      const unhealthy = await unhealthyError(engine, snapshot, deadline.aborted ? `The stack did not start within ${plan.healthTimeout} s` : 'Compose could not start the stack');
      const composeSaid = isOpenmatesError(error) ? error.details.slice(-5) : [];
      throw withLifecycleHint(new OpenmatesError(unhealthy.kind, unhealthy.message, unhealthy.hint, [...unhealthy.details, ...(composeSaid.length > 0 ? ['Compose said:', ...composeSaid.map((line) => `  ${line}`)] : [])]));
    }
    throw error;
  }
}

/** The health wait's hint speaks of install; after a start or restart the next step is another start. */
function withLifecycleHint(error: unknown): unknown {
  if (!isOpenmatesError(error) || error.kind !== 'health-timeout') return error;
  return new OpenmatesError(error.kind, error.message, 'The last log lines of each service that is not ready are below. Fix the cause, then run `openmates server start` (it keeps what already runs).', error.details);
}
