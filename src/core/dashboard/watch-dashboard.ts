import { readUpdateInProgress } from '../update/update-state.js';
import type { ContainerEvent } from '../../docker/types.js';
import type { CoreDeps } from '../deps.js';
import { isOpenmatesError } from '../errors.js';
import { runHealthCheck } from '../health/http-check.js';
import { installLayout } from '../install-dir.js';
import { readInstalledInstance } from '../installed-instance.js';
import { readKeptData } from '../status/read-status.js';
import { sleep } from '../sleep.js';
import { DashboardModel } from './dashboard-model.js';
import { HostSampler } from './host-metrics.js';
import type { DashboardOptions, DashboardSnapshot } from './types.js';

export interface DashboardTiming {
  /** Pause between two stats rounds (a round itself takes the engine about a second). */
  statsEveryMs: number;
  /** How often the health URLs are asked. */
  checksEveryMs: number;
  /** At most one snapshot per this many ms, so a burst of events costs one render. */
  emitEveryMs: number;
  /** How long to wait before trying a lost engine again. */
  retryEveryMs: number;
  /** Events for one container within this window cost one inspect. */
  eventSettleMs: number;
}

export const DEFAULT_DASHBOARD_TIMING: DashboardTiming = { statsEveryMs: 3_000, checksEveryMs: 10_000, emitEveryMs: 250, retryEveryMs: 5_000, eventSettleMs: 100 };

/**
 * The engine events that change what the dashboard shows; the engine sends no others, so the
 * healthcheck probes (exec_create, exec_start, exec_die for every check, every few seconds),
 * attach, resize, ... cost the idle dashboard nothing.
 */
export const STATE_ACTIONS = ['create', 'start', 'restart', 'stop', 'die', 'kill', 'oom', 'pause', 'unpause', 'destroy', 'rename', 'update', 'health_status'] as const;
const STATE_ACTION_SET: ReadonlySet<string> = new Set(STATE_ACTIONS);

function changesState(event: ContainerEvent): boolean {
  return STATE_ACTION_SET.has(event.action);
}

/**
 * Keeps `onSnapshot` fed with the instance's live state until `signal` aborts (then it resolves).
 * Containers are listed once per connection and then kept current from the engine's event stream
 * (one inspect per container an event names); CPU and memory are sampled every few seconds, all
 * running containers at once. When the engine goes away the snapshot says so, and the watch
 * tries again every few seconds. When nothing is installed it sends one snapshot and resolves.
 */
export async function watchDashboard(
  options: DashboardOptions,
  deps: CoreDeps,
  onSnapshot: (snapshot: DashboardSnapshot) => void,
  signal: AbortSignal,
  timing: DashboardTiming = DEFAULT_DASHBOARD_TIMING,
): Promise<void> {
  const instance = await readInstalledInstance(options.installDir);
  if (!instance) {
    const layout = installLayout(options.installDir);
    const keptData = await readKeptData(layout);
    onSnapshot({ installed: false, installDir: layout.root, urls: [], services: [], checks: [], healthy: false, engine: { state: 'connecting' }, ...(keptData ? { keptData } : {}) });
    return;
  }
  const { stack } = instance;
  const model = new DashboardModel({
    installDir: instance.layout.root,
    project: stack.name,
    version: instance.version,
    urls: stack.urls,
    expectedServices: instance.facts?.services ?? [],
    oneShotServices: instance.facts?.oneShotServices ?? [],
  });
  const interruptedUpdate = await readUpdateInProgress(instance.layout);
  const emit = throttle(() => onSnapshot(interruptedUpdate ? { ...model.snapshot(), interruptedUpdate } : model.snapshot()), timing.emitEveryMs);
  const host = new HostSampler([{ label: 'install', path: instance.layout.root }]);
  const engine = deps.engine;
  emit.now();

  /** One connection: list, follow events, sample; resolves on abort, rejects when the engine is lost. */
  const follow = async (): Promise<void> => {
    const session = new AbortController();
    const stop = () => session.abort();
    signal.addEventListener('abort', stop, { once: true });
    let failure: unknown;
    const fail = (error: unknown) => {
      if (failure === undefined && !signal.aborted) failure = error;
      session.abort();
    };
    const pending = new Map<string, string>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshPending = async () => {
      flushTimer = undefined;
      const batch = [...pending];
      pending.clear();
      await Promise.all(
        batch.map(async ([id, action]) => {
          if (action === 'destroy') return model.remove(id);
          try {
            const container = await engine.containerSummary(id);
            if (container) model.upsert(container);
            else model.remove(id);
          } catch (error) {
            if (isEngineLoss(error)) fail(error);
          }
        }),
      );
      if (!session.signal.aborted) emit();
    };
    const onEvent = (event: ContainerEvent) => {
      if (!changesState(event)) return;
      pending.set(event.containerId, event.action);
      flushTimer ??= setTimeout(() => void refreshPending(), timing.eventSettleMs);
    };

    try {
      await engine.ping();
      if (engine.endpoint.startsWith('unix://')) {
        const info = await engine.info();
        if (info.dockerRootDir) host.watchPath({ label: 'Docker', path: info.dockerRootDir });
      }
      // Subscribe first, then list: a change between the two still arrives as an event.
      const events = engine.watchContainerEvents(stack.name, onEvent, session.signal, STATE_ACTIONS).catch(fail);
      model.replaceAll(await engine.projectContainers(stack.name));
      model.engine = { state: 'live' };
      emit.now();
      let lastChecks = Number.NEGATIVE_INFINITY;
      while (!session.signal.aborted) {
        const checkNow = Date.now() - lastChecks >= timing.checksEveryMs;
        if (checkNow) lastChecks = Date.now();
        await Promise.all([
          sampleStats(model, engine, session.signal, fail),
          host.sample().then((metrics) => (model.host = metrics)),
          checkNow ? Promise.all(stack.health.map((check) => runHealthCheck(check, session.signal))).then((checks) => (model.checks = checks)) : undefined,
        ]);
        if (session.signal.aborted) break;
        model.sampledAt = Date.now();
        emit();
        await sleep(timing.statsEveryMs, session.signal);
      }
      await events;
    } catch (error) {
      fail(error);
    } finally {
      signal.removeEventListener('abort', stop);
      if (flushTimer) clearTimeout(flushTimer);
      session.abort();
    }
    if (failure !== undefined) throw failure;
  };

  try {
    while (!signal.aborted) {
      try {
        await follow();
      } catch (error) {
        if (signal.aborted) break;
        if (!isEngineLoss(error)) throw error;
        model.engine = {
          state: 'lost',
          message: error.message,
          ...(error.hint ? { hint: error.hint } : {}),
          retryInSeconds: Math.round(timing.retryEveryMs / 1000),
        };
        model.clearStats();
        emit.now();
        await sleep(timing.retryEveryMs, signal);
      }
    }
  } finally {
    emit.cancel();
  }
}

/** Samples every running container at once; a container that stops meanwhile just has no sample. */
async function sampleStats(model: DashboardModel, engine: CoreDeps['engine'], signal: AbortSignal, fail: (error: unknown) => void): Promise<void> {
  await Promise.all(
    model.runningContainerIds().map(async (id) => {
      try {
        model.setStats(id, await engine.containerStats(id, signal));
      } catch (error) {
        if (isEngineLoss(error) && !signal.aborted) fail(error);
      }
    }),
  );
}

/** The engine stopped answering (as opposed to a bug, or the user stopping us). */
function isEngineLoss(error: unknown): error is import('../errors.js').OpenmatesError {
  return isOpenmatesError(error) && error.kind === 'engine-unreachable';
}

/** Calls `run` at most once per `everyMs`: the first call at once, later ones at the end of the window. */
function throttle(run: () => void, everyMs: number): { (): void; now(): void; cancel(): void } {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    run();
  };
  const schedule = () => {
    if (timer) return;
    const wait = last + everyMs - Date.now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  return Object.assign(schedule, {
    now: () => {
      if (timer) clearTimeout(timer);
      fire();
    },
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  });
}
