/**
 * Pulls one image through the engine API (docker.pull + modem.followProgress), reporting
 * aggregated progress. Registry errors arrive as {error, errorDetail} lines inside a stream the
 * engine answered with 200, so the stream's end alone does not mean success.
 */
import type Dockerode from 'dockerode';
import { OpenmatesError } from '../core/errors.js';
import { CallAborted, DeadlineExceeded, formatDuration, withDeadline } from './deadline.js';
import { engineHttpError, toEngineError } from './engine-errors.js';
import { pullFailure, pullFailureHint } from './pull-errors.js';
import { initialPullState, isLayerEvent, nextPullState, progressOf, type PullEvent, type PullState } from './pull-progress.js';
import type { PullProgress } from './types.js';

export interface PullTimeouts {
  /**
   * How long the engine may stay silent (before it answers, and between two progress lines)
   * before the pull counts as stalled. The engine itself gives up on an unreachable registry
   * well within this.
   */
  silenceMs: number;
}

export const DEFAULT_PULL_TIMEOUTS: PullTimeouts = { silenceMs: 120_000 };

function interrupted(ref: string): OpenmatesError {
  return new OpenmatesError('interrupted', `The pull of ${ref} was stopped before it finished.`);
}

function stalled(ref: string, ms: number): OpenmatesError {
  return new OpenmatesError(
    'operation-failed',
    `Could not pull ${ref}: the Docker engine reported no progress for ${formatDuration(ms)}.`,
    pullFailureHint(ref, 'i/o timeout'),
  );
}

/** Starts the pull; maps the engine's refusals (404 unknown tag, 500 registry unreachable...). */
async function startPull(docker: Dockerode, endpoint: string, ref: string, timeouts: PullTimeouts, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
  try {
    return await withDeadline(timeouts.silenceMs, (abortSignal) => docker.pull(ref, { abortSignal }), signal);
  } catch (error) {
    if (error instanceof CallAborted) throw interrupted(ref);
    if (error instanceof DeadlineExceeded) throw stalled(ref, timeouts.silenceMs);
    const http = engineHttpError(error);
    if (http) throw pullFailure(ref, http.message);
    throw toEngineError(error, endpoint, `pull ${ref}`);
  }
}

export async function pullImage(
  docker: Dockerode,
  endpoint: string,
  ref: string,
  onProgress: (progress: PullProgress) => void,
  signal?: AbortSignal,
  timeouts: PullTimeouts = DEFAULT_PULL_TIMEOUTS,
): Promise<void> {
  if (signal?.aborted) throw interrupted(ref);
  const stream = await startPull(docker, endpoint, ref, timeouts, signal);
  const destroy = (): void => {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  };

  await new Promise<void>((resolve, reject) => {
    let state: PullState = initialPullState;
    let failure: unknown;
    let silenceTimer: NodeJS.Timeout | undefined;

    const stop = (reason: unknown): void => {
      if (failure === undefined) failure = reason;
      destroy();
    };
    const armSilenceTimer = (): void => {
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(() => stop(stalled(ref, timeouts.silenceMs)), timeouts.silenceMs);
    };
    const onAbort = (): void => stop(interrupted(ref));
    signal?.addEventListener('abort', onAbort, { once: true });
    armSilenceTimer();

    docker.modem.followProgress(
      stream,
      (error) => {
        clearTimeout(silenceTimer);
        signal?.removeEventListener('abort', onAbort);
        if (failure !== undefined) reject(failure);
        else if (signal?.aborted) reject(interrupted(ref));
        else if (state.error !== undefined) reject(pullFailure(ref, state.error));
        else if (error) reject(toEngineError(error, endpoint, `pull ${ref}`));
        else resolve();
      },
      (event: PullEvent) => {
        if (failure !== undefined) return;
        armSilenceTimer();
        state = nextPullState(state, event);
        if (!isLayerEvent(event)) return;
        try {
          onProgress(progressOf(state));
        } catch (error) {
          stop(error);
        }
      },
    );
  });
}
