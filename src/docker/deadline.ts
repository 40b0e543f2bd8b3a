/**
 * Every engine call gets a deadline: a socket that exists but never answers must not hang us.
 * The call receives an AbortSignal that fires on the deadline (or when the caller's own signal
 * aborts), so dockerode closes the request instead of leaving it open.
 */

export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${formatDuration(ms)}`);
    this.name = 'DeadlineExceeded';
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  return `${minutes} minutes`;
}

export class CallAborted extends Error {
  constructor() {
    super('The operation was aborted.');
    this.name = 'CallAborted';
  }
}

/**
 * Runs `call` with a signal that aborts after `ms`. Rejects with DeadlineExceeded when the deadline
 * passes, with CallAborted when `outer` aborts first, otherwise settles like `call`.
 */
export function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  if (outer?.aborted) return Promise.reject(new CallAborted());
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      settle();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new DeadlineExceeded(ms)));
      controller.abort();
    }, ms);
    const onOuterAbort = (): void => {
      finish(() => reject(new CallAborted()));
      controller.abort();
    };
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    let running: Promise<T>;
    try {
      running = call(controller.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
