import type { OperationEvent, ServiceHealth } from '../core/events.js';

/**
 * Folds the install's OperationEvents into what the Install screen shows. Pure: no React, no I/O.
 * Pull progress can arrive hundreds of times a second, so each event only copies the one list it
 * touches, and the screen folds events in batches (see use-install-progress.ts).
 */

export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'warning' | 'failed';

export interface StepView {
  id: string;
  title: string;
  state: StepState;
  detail?: string;
}

/** One image's pull, as the last pull-progress event for it said. */
export type PullView = Omit<Extract<OperationEvent, { type: 'pull-progress' }>, 'type'>;

export interface ServiceHealthView {
  service: string;
  state: ServiceHealth;
  detail?: string;
}

export interface CheckView {
  name: string;
  ok: boolean;
  detail: string;
  level?: 'ok' | 'warning' | 'error';
  hint?: string;
}

export interface WarningView {
  message: string;
  hint?: string;
}

export interface LogLineView {
  service: string;
  line: string;
}

export interface InstallProgress {
  steps: StepView[];
  checks: CheckView[];
  pulls: PullView[];
  services: ServiceHealthView[];
  warnings: WarningView[];
  /** The last log lines the operation passed on, oldest first, at most LOG_TAIL_LIMIT. */
  logTail: LogLineView[];
  /** The latest `info` message, shown quietly under the steps. */
  lastInfo?: string;
}

export const LOG_TAIL_LIMIT = 50;
export const WARNING_LIMIT = 20;

export const emptyProgress: InstallProgress = {
  steps: [],
  checks: [],
  pulls: [],
  services: [],
  warnings: [],
  logTail: [],
};

/** Replaces the item `matches` finds with `update(item)`, or appends `update(undefined)`. */
function upsert<T>(items: T[], matches: (item: T) => boolean, update: (existing: T | undefined) => T): T[] {
  const index = items.findIndex(matches);
  if (index === -1) return [...items, update(undefined)];
  const next = items.slice();
  next[index] = update(items[index]);
  return next;
}

function withoutDetail<T extends { detail?: string }>(item: T): T {
  const { detail: _detail, ...rest } = item;
  return rest as T;
}

export function foldEvent(progress: InstallProgress, event: OperationEvent): InstallProgress {
  switch (event.type) {
    case 'step-started':
      return {
        ...progress,
        steps: upsert(
          progress.steps,
          (step) => step.id === event.step,
          () => ({ id: event.step, title: event.title, state: 'running' }),
        ),
      };
    case 'step-finished': {
      const state: StepState = event.outcome;
      return {
        ...progress,
        steps: upsert(
          progress.steps,
          (step) => step.id === event.step,
          (step) => {
            const base = withoutDetail(step ?? { id: event.step, title: event.step, state });
            return event.detail === undefined ? { ...base, state } : { ...base, state, detail: event.detail };
          },
        ),
      };
    }
    case 'step-failed':
      return {
        ...progress,
        steps: upsert(
          progress.steps,
          (step) => step.id === event.step,
          (step) => ({ ...(step ?? { id: event.step, title: event.step }), state: 'failed', detail: event.message }),
        ),
      };
    case 'pull-progress': {
      const { type: _type, ...pull } = event;
      return { ...progress, pulls: upsert(progress.pulls, (p) => p.image === event.image, () => pull) };
    }
    case 'health': {
      const view: ServiceHealthView =
        event.detail === undefined
          ? { service: event.service, state: event.state }
          : { service: event.service, state: event.state, detail: event.detail };
      return { ...progress, services: upsert(progress.services, (s) => s.service === event.service, () => view) };
    }
    case 'check':
      return {
        ...progress,
        checks: upsert(
          progress.checks,
          (check) => check.name === event.name,
          () => {
            const { type: _type, ...check } = event;
            return check;
          },
        ),
      };
    case 'log-line': {
      const logTail = progress.logTail.length >= LOG_TAIL_LIMIT ? progress.logTail.slice(1) : progress.logTail.slice();
      logTail.push({ service: event.service, line: event.line });
      return { ...progress, logTail };
    }
    case 'warning': {
      const warning: WarningView = event.hint === undefined ? { message: event.message } : { message: event.message, hint: event.hint };
      if (progress.warnings.some((w) => w.message === warning.message)) return progress;
      return { ...progress, warnings: [...progress.warnings, warning].slice(-WARNING_LIMIT) };
    }
    case 'info':
      return { ...progress, lastInfo: event.message };
  }
}

/** A fresh view listing the planned steps as pending, so the user sees what is still to come. */
export function progressWithPlannedSteps(steps: readonly { id: string; title: string }[]): InstallProgress {
  return { ...emptyProgress, steps: steps.map((step) => ({ ...step, state: 'pending' })) };
}

export function foldEvents(progress: InstallProgress, events: readonly OperationEvent[]): InstallProgress {
  let next = progress;
  for (const event of events) next = foldEvent(next, event);
  return next;
}

export interface PullTotals {
  bytesDone: number;
  bytesTotal: number;
  layersDone: number;
  layersTotal: number;
  imagesDone: number;
  imagesTotal: number;
}

export function pullTotals(pulls: readonly PullView[]): PullTotals {
  const totals: PullTotals = { bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0, imagesDone: 0, imagesTotal: pulls.length };
  for (const pull of pulls) {
    totals.bytesDone += pull.bytesDone;
    totals.bytesTotal += pull.bytesTotal;
    totals.layersDone += pull.layersDone;
    totals.layersTotal += pull.layersTotal;
    if (pull.status !== 'pulling') totals.imagesDone += 1;
  }
  return totals;
}

export function isPullFinished(pull: PullView): boolean {
  return pull.status !== 'pulling';
}

/** How far along a pull is, 0..1: by bytes when sizes are known, else by layers. */
export function pullFraction(pull: Pick<PullView, 'bytesDone' | 'bytesTotal' | 'layersDone' | 'layersTotal'> & { status?: PullView['status'] }): number {
  if (pull.status !== undefined && pull.status !== 'pulling') return 1;
  if (pull.bytesTotal > 0) return Math.min(1, pull.bytesDone / pull.bytesTotal);
  if (pull.layersTotal > 0) return Math.min(1, pull.layersDone / pull.layersTotal);
  return 0;
}

/** The running step, if any: the one whose spinner is turning. */
export function runningStep(progress: InstallProgress): StepView | undefined {
  for (let index = progress.steps.length - 1; index >= 0; index -= 1) {
    const step = progress.steps[index];
    if (step?.state === 'running') return step;
  }
  return undefined;
}
