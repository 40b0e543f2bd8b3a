import { healthStepOutcome } from '../health/degraded.js';
import type { CoreDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import type { EventSink, StepId } from '../events.js';
import type { HealthySnapshot } from '../health/wait-for-healthy.js';
import type { OperationLog } from '../install/install-log.js';
import { deadlineIn, startStack, waitUntilHealthy, type BringUpInput } from './bring-up.js';
import type { InstalledVersion } from './installed-version.js';
import type { BackupTools, UpdatePlan, UpdateState } from './types.js';
import { nextState, writeUpdateState } from './update-state.js';

/** One update run: what it works on, where it reports, and the state it last wrote to disk. */
export interface Run {
  plan: UpdatePlan;
  deps: CoreDeps;
  sink: EventSink;
  signal: AbortSignal | undefined;
  tools: BackupTools;
  installed: InstalledVersion;
  log: OperationLog;
  state: UpdateState | undefined;
}

/** Records the next phase on disk (atomically) before the step it names begins. */
export async function save(run: Run, patch: Partial<UpdateState> & Pick<UpdateState, 'phase'>): Promise<void> {
  run.state = nextState(run.state, patch, { from: run.plan.current, to: run.plan.target });
  await writeUpdateState(run.installed.layout, run.state);
  run.log.line(`state: ${run.state.phase}${run.state.backupFile ? `, backup ${run.state.backupFile}` : ''}${run.state.newVersionStarted ? `, ${run.state.to} started` : ''}`);
}

const titles = new WeakMap<Run, Map<StepId, string>>();

/** Titles for the steps about to run, so their events read well in every face. */
export function announceSteps(run: Run, steps: { id: string; title: string }[]): void {
  const known = titles.get(run) ?? new Map<StepId, string>();
  for (const planned of steps) known.set(planned.id, planned.title);
  titles.set(run, known);
}

/** Runs one step between step-started and step-finished (or step-failed) events. */
export async function step<T>(run: Run, id: StepId, work: () => Promise<{ value: T; detail: string; outcome?: 'done' | 'warning' }>): Promise<T> {
  const title = titles.get(run)?.get(id) ?? id;
  run.sink({ type: 'step-started', step: id, title });
  try {
    const { value, detail, outcome = 'done' } = await work();
    run.sink({ type: 'step-finished', step: id, outcome, detail });
    return value;
  } catch (error) {
    run.sink({ type: 'step-failed', step: id, message: messageOf(error) });
    throw error;
  }
}

export async function bringUpVersion(run: Run, version: string, startStep: StepId, healthStep: StepId): Promise<HealthySnapshot> {
  const deadline = deadlineIn(run.plan.healthTimeout);
  const input = bringUpInput(run, version);
  await step(run, startStep, async () => {
    await startStack(input, deadline);
    return { value: undefined, detail: `Compose started the services on ${version}` };
  });
  return step(run, healthStep, async () => {
    const healthy = await waitUntilHealthy(input, deadline);
    return { value: healthy, ...healthStepOutcome(healthy, `All ${healthy.services.length} services ready on ${version}`) };
  });
}

export async function confirmHealthy(run: Run, version: string, healthStep: StepId): Promise<HealthySnapshot> {
  const deadline = deadlineIn(run.plan.healthTimeout);
  return step(run, healthStep, async () => {
    const healthy = await waitUntilHealthy(bringUpInput(run, version), deadline);
    return { value: healthy, ...healthStepOutcome(healthy, `All ${healthy.services.length} services ready on ${version}`) };
  });
}

export function bringUpInput(run: Run, version: string): BringUpInput {
  return { deps: run.deps, stack: run.installed.stack, layout: run.installed.layout, sink: run.sink, version, ...(run.signal ? { signal: run.signal } : {}) };
}
