import type { CoreDeps } from './deps.js';
import { planInstall } from './install/plan-install.js';
import { runInstall } from './install/run-install.js';
import { streamLogs } from './logs/stream-logs.js';
import type { Operations } from './operations.js';
import { readStatus } from './status/read-status.js';

export function createOperations(deps: CoreDeps): Operations {
  return {
    status: (options, signal) => readStatus(options, deps, signal),
    planInstall: (options, sink, signal) => planInstall(options, deps, sink, signal),
    install: (plan, sink, signal) => runInstall(plan, deps, sink, signal),
    logs: (options, sink, signal) => streamLogs(options, deps, sink, signal),
  };
}
