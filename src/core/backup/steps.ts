import { OpenmatesError, messageOf } from '../errors.js';
import type { EventSink, StepId } from '../events.js';

export interface StepOutcome<T> {
  value: T;
  detail: string;
  outcome?: 'done' | 'skipped' | 'warning';
}

export type StepRunner = <T>(id: StepId, title: string, work: () => Promise<StepOutcome<T>>) => Promise<T>;

/** Wraps work in step-started / step-finished / step-failed events; refuses to start a step once `signal` aborted. */
export function stepRunner(sink: EventSink, signal: AbortSignal | undefined, interrupted: (title: string) => OpenmatesError): StepRunner {
  return async (id, title, work) => {
    if (signal?.aborted) throw interrupted(title);
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

export { formatBytes } from '../format-bytes.js';

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
