import type { CoreDeps } from './deps.js';
import { planInstall } from './install/plan-install.js';
import { runInstall } from './install/run-install.js';
import type { Operations } from './operations.js';
import { readStatus } from './status/read-status.js';
import { watchDashboard } from './dashboard/watch-dashboard.js';
import { planLifecycle } from './lifecycle/plan-lifecycle.js';
import { runLifecycle } from './lifecycle/run-lifecycle.js';

export function createOperations(deps: CoreDeps): Operations {
  return {
    status: (options, signal) => readStatus(options, deps, signal),
    planInstall: (options, sink, signal) => planInstall(options, deps, sink, signal),
    install: (plan, sink, signal) => runInstall(plan, deps, sink, signal),
    watchDashboard: (options, onSnapshot, signal) => watchDashboard(options, deps, onSnapshot, signal),
    planLifecycle: (options) => planLifecycle(options, deps),
    runLifecycle: (plan, sink, signal) => runLifecycle(plan, deps, sink, signal),
  };
}
