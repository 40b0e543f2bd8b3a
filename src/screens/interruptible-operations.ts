import type { Operations } from '../core/operations.js';

/**
 * The app's Operations, wrapped so that one app-wide signal (Ctrl-C, SIGTERM, ...) reaches every
 * running call next to the screen's own signal, and so the app can wait for them to settle.
 */
export interface InterruptibleOperations extends Operations {
  /** Resolves true once no call is running, or false when `timeoutMs` passes first. */
  settled(timeoutMs: number): Promise<boolean>;
}

export function interruptibleOperations(operations: Operations, appSignal: AbortSignal): InterruptibleOperations {
  const running = new Set<Promise<unknown>>();

  function track<T>(callerSignal: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const linked = eitherSignal(appSignal, callerSignal);
    let result: Promise<T>;
    try {
      result = call(linked.signal);
    } catch (error) {
      result = Promise.reject(error);
    }
    const settledCall = result.then(
      () => undefined,
      () => undefined,
    );
    running.add(settledCall);
    void settledCall.then(() => {
      running.delete(settledCall);
      linked.dispose();
    });
    return result;
  }

  return {
    status: (options, signal) => track(signal, (linked) => operations.status(options, linked)),
    planInstall: (options, sink, signal) => track(signal, (linked) => operations.planInstall(options, sink, linked)),
    install: (plan, sink, signal) => track(signal, (linked) => operations.install(plan, sink, linked)),
    logs: (options, sink, signal) => track(signal, (linked) => operations.logs(options, sink, linked)),
    async settled(timeoutMs) {
      if (running.size === 0) return true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const allDone = Promise.all([...running]).then(() => true as const);
      try {
        return await Promise.race([allDone, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** A signal that aborts when either one does (AbortSignal.any needs Node 20.3). */
export function eitherSignal(first: AbortSignal, second: AbortSignal | undefined): { signal: AbortSignal; dispose: () => void } {
  if (second === undefined) return { signal: first, dispose: () => {} };
  const controller = new AbortController();
  const abortFrom = (source: AbortSignal) => () => controller.abort(source.reason);
  const onFirst = abortFrom(first);
  const onSecond = abortFrom(second);
  if (first.aborted) onFirst();
  else if (second.aborted) onSecond();
  else {
    first.addEventListener('abort', onFirst, { once: true });
    second.addEventListener('abort', onSecond, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      first.removeEventListener('abort', onFirst);
      second.removeEventListener('abort', onSecond);
    },
  };
}
