import { eitherSignal } from '../core/either-signal.js';
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
    loginStart: (target, sink, signal) => track(signal, (linked) => operations.loginStart(target, sink, linked)),
    loginWaitForApproval: (code, sink, signal) => track(signal, (linked) => operations.loginWaitForApproval(code, sink, linked)),
    loginSubmitPin: (code, pin, sink, signal) => track(signal, (linked) => operations.loginSubmitPin(code, pin, sink, linked)),
    whoami: (signal) => track(signal, (linked) => operations.whoami(linked)),
    logout: (signal) => track(signal, (linked) => operations.logout(linked)),
    planReset: (options, signal) => track(signal, (linked) => operations.planReset(options, linked)),
    reset: (plan, run, sink, signal) => track(signal, (linked) => operations.reset(plan, run, sink, linked)),
    planUninstall: (options, signal) => track(signal, (linked) => operations.planUninstall(options, linked)),
    uninstall: (plan, run, sink, signal) => track(signal, (linked) => operations.uninstall(plan, run, sink, linked)),
    readSettings: () => operations.readSettings(),
    updateSettings: (patch) => operations.updateSettings(patch),
    backup: (options, sink, signal) => track(signal, (linked) => operations.backup(options, sink, linked)),
    restore: (options, sink, signal) => track(signal, (linked) => operations.restore(options, sink, linked)),
    restorePhrase: (options) => operations.restorePhrase(options),
    listBackups: (options) => operations.listBackups(options),
    checkForUpdates: (options, signal) => track(signal, (linked) => operations.checkForUpdates(options, linked)),
    planUpdate: (options, sink, signal) => track(signal, (linked) => operations.planUpdate(options, sink, linked)),
    update: (plan, sink, signal) => track(signal, (linked) => operations.update(plan, sink, linked)),
    watchDashboard: (options, onSnapshot, signal) => track(signal, (linked) => operations.watchDashboard(options, onSnapshot, linked)),
    planLifecycle: (options, signal) => track(signal, (linked) => operations.planLifecycle(options, linked)),
    runLifecycle: (plan, sink, signal) => track(signal, (linked) => operations.runLifecycle(plan, sink, linked)),
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

export { eitherSignal };
