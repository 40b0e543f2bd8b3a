import { OpenmatesError, messageOf } from './errors.js';
import type { EventSink, StepId } from './events.js';

export type StepWork<T> = () => Promise<{ value: T; detail: string; outcome?: 'done' | 'skipped' | 'warning' }>;

/**
 * Runs named steps with started/finished/failed events, refusing to start a step once the signal
 * has aborted (what is done stays done; the next run picks up from there).
 */
export function stepRunner(steps: readonly { id: StepId; title: string }[], sink: EventSink, signal: AbortSignal | undefined, again: string) {
  return async function step<T>(id: StepId, work: StepWork<T>): Promise<T> {
    const title = steps.find((candidate) => candidate.id === id)?.title ?? id;
    if (signal?.aborted) throw new OpenmatesError('interrupted', `Stopped before "${title}".`, again);
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
}
