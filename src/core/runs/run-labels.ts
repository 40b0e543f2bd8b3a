import type { RunContainer } from './run-engine.js';
import { CANCELLED_EXIT_CODE, TIMED_OUT_EXIT_CODE, type RunInfo, type RunNetwork, type RunRequest, type RunStatus } from './run-types.js';

/**
 * A run lives in the engine: its request in its container's labels (set once, at create), and
 * how it was ended early in the container's name, the one thing the engine lets us change later
 * (`openmates-run-<id>.cancelled`, `….timed-out`). Any `openmates` on the server sees the same runs.
 */
export const RUN_LABEL = 'openmates.run';
const PREFIX = 'openmates.run.';
export const RUN_NAME_PREFIX = 'openmates-run-';

export type EndMark = 'cancelled' | 'timed-out';

export function runContainerName(id: string, mark?: EndMark): string {
  return `${RUN_NAME_PREFIX}${id}${mark ? `.${mark}` : ''}`;
}

export function runLabels(id: string, request: RunRequest, deadline: Date): Record<string, string> {
  return {
    [RUN_LABEL]: id,
    [`${PREFIX}command`]: JSON.stringify(request.command),
    [`${PREFIX}repo`]: request.repo,
    [`${PREFIX}branch`]: request.branch,
    [`${PREFIX}image`]: request.image,
    [`${PREFIX}deadline`]: deadline.toISOString(),
    [`${PREFIX}network`]: request.network,
    [`${PREFIX}env-names`]: Object.keys(request.env).join(','),
  };
}

function markOf(name: string): EndMark | undefined {
  const mark = name.slice(name.lastIndexOf('.') + 1);
  return mark === 'cancelled' || mark === 'timed-out' ? mark : undefined;
}

function statusOf(container: RunContainer, mark: EndMark | undefined): RunStatus {
  if (mark === 'cancelled') return 'cancelled';
  if (mark === 'timed-out') return 'timed out';
  if (container.state === 'created') return 'created';
  if (container.state === 'exited' || container.state === 'dead') return container.exitCode === 0 ? 'succeeded' : 'failed';
  return 'running';
}

export function runInfo(container: RunContainer): RunInfo {
  const labels = container.labels;
  const mark = markOf(container.name);
  const status = statusOf(container, mark);
  const ended = status !== 'running' && status !== 'created';
  let command: string[] = [];
  try {
    command = JSON.parse(labels[`${PREFIX}command`] ?? '[]') as string[];
  } catch {
    command = [labels[`${PREFIX}command`] ?? ''];
  }
  const exitCode = status === 'timed out' ? TIMED_OUT_EXIT_CODE : status === 'cancelled' ? CANCELLED_EXIT_CODE : ended ? container.exitCode : undefined;
  const finishedAt = ended && container.finishedAt && !container.finishedAt.startsWith('0001') ? container.finishedAt : undefined;
  const startedAt = container.startedAt && !container.startedAt.startsWith('0001') ? container.startedAt : undefined;
  return {
    id: labels[RUN_LABEL] ?? container.name.slice(RUN_NAME_PREFIX.length),
    command,
    repo: labels[`${PREFIX}repo`] ?? '',
    branch: labels[`${PREFIX}branch`] ?? '',
    image: labels[`${PREFIX}image`] ?? '',
    status,
    createdAt: container.createdAt,
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(startedAt ? { durationMs: Math.max(0, Date.parse(finishedAt ?? new Date().toISOString()) - Date.parse(startedAt)) } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    deadline: labels[`${PREFIX}deadline`] ?? '',
    network: (labels[`${PREFIX}network`] as RunNetwork | undefined) ?? 'none',
    envNames: (labels[`${PREFIX}env-names`] ?? '').split(',').filter(Boolean),
  };
}
