import { OpenmatesError } from '../errors.js';
import type { RunContainer, RunEngine } from './run-engine.js';
import { runContainerName, runInfo, type EndMark } from './run-labels.js';
import { RUN_DEFAULTS, type RunInfo } from './run-types.js';

const ENDED = new Set(['succeeded', 'failed', 'cancelled', 'timed out']);
export const isFinished = (run: RunInfo) => ENDED.has(run.status);

/** Every run, newest first; a running one past its deadline is timed out here too (the watcher may have died). */
export async function listRuns(engine: RunEngine): Promise<RunInfo[]> {
  const containers = await engine.list();
  return Promise.all(containers.map(async (container) => runInfo((await enforceDeadline(engine, container)) ?? container)));
}

/** What a list of runs shows by default: every running one, and the newest RECENT_RUNS in all. */
export const RECENT_RUNS = 20;

export function recentRuns(runs: RunInfo[]): RunInfo[] {
  return runs.filter((run, index) => !isFinished(run) || index < RECENT_RUNS);
}

/** The run with this id (or a unique prefix of it). */
export async function findRun(engine: RunEngine, id: string): Promise<{ run: RunInfo; container: RunContainer }> {
  const containers = await engine.list();
  const matches = containers.filter((container) => runInfo(container).id.startsWith(id));
  if (matches.length === 0) throw new OpenmatesError('usage', `There is no run ${id}.`, '`openmates runs --all` lists them');
  if (matches.length > 1) throw new OpenmatesError('usage', `"${id}" matches ${matches.length} runs.`, 'give more of the id');
  const container = (await enforceDeadline(engine, matches[0]!)) ?? matches[0]!;
  return { run: runInfo(container), container };
}

/** Marks the run (its container's name) and kills it; a run that already ended is left as it ended. */
export async function endRun(engine: RunEngine, container: RunContainer, mark: EndMark): Promise<RunInfo> {
  const current = await engine.inspect(container.id);
  if (!current) throw new OpenmatesError('usage', `The run ${runInfo(container).id} was removed.`);
  if (isFinished(runInfo(current))) return runInfo(current);
  await engine.rename(current.id, runContainerName(runInfo(current).id, mark));
  await engine.kill(current.id);
  await engine.wait(current.id).catch(() => undefined);
  return runInfo((await engine.inspect(current.id)) ?? current);
}

export async function cancelRun(engine: RunEngine, id: string): Promise<RunInfo> {
  const { container } = await findRun(engine, id);
  return endRun(engine, container, 'cancelled');
}

async function enforceDeadline(engine: RunEngine, container: RunContainer): Promise<RunContainer | undefined> {
  const run = runInfo(container);
  if (run.status !== 'running' || !run.deadline || Date.parse(run.deadline) > Date.now()) return undefined;
  await endRun(engine, container, 'timed-out');
  return engine.inspect(container.id);
}

/**
 * Waits for the run to end, killing it at its deadline (marked timed out). Started detached by
 * `run`, so the deadline holds when the CLI that started it is killed.
 */
export async function superviseRun(engine: RunEngine, id: string): Promise<RunInfo> {
  const { run, container } = await findRun(engine, id);
  if (isFinished(run)) return run;
  const left = Math.max(0, Date.parse(run.deadline) - Date.now());
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), left);
  try {
    await engine.wait(container.id, stop.signal);
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  if (stop.signal.aborted) return endRun(engine, container, 'timed-out');
  return runInfo((await engine.inspect(container.id)) ?? container);
}

/** Removes one finished run (a running one must be cancelled first). */
export async function removeRun(engine: RunEngine, id: string): Promise<RunInfo> {
  const { run, container } = await findRun(engine, id);
  if (!isFinished(run)) throw new OpenmatesError('usage', `The run ${run.id} is ${run.status}; only a finished run can be removed.`, `cancel it first: openmates runs cancel ${run.id}`);
  await engine.remove(container.id);
  return run;
}

/** Removes finished runs: all of them, or all but the newest `keep`. */
export async function removeFinished(engine: RunEngine, keep = 0): Promise<RunInfo[]> {
  const containers = await engine.list();
  const finished = containers.filter((container) => isFinished(runInfo(container)));
  const removed = finished.slice(keep);
  for (const container of removed) await engine.remove(container.id);
  return removed.map(runInfo);
}

export const pruneRuns = (engine: RunEngine) => removeFinished(engine, RUN_DEFAULTS.keepFinished);
