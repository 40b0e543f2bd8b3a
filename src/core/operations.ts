import type { EventSink } from './events.js';
import type { InstallOptions, InstallPlan, InstallResult } from './install/types.js';
import type { LogSink, LogsOptions, LogsResult } from './logs/types.js';
import type { InstanceStatus } from './status/types.js';

/**
 * The operations every face uses, bound to their dependencies. The TUI receives this object as a
 * prop, so screen tests can hand it fakes.
 */
export interface Operations {
  status(options: { installDir: string }, signal?: AbortSignal): Promise<InstanceStatus>;
  /** Preflight and plan; throws OpenmatesError('preflight') when a check fails with level error. */
  planInstall(options: InstallOptions, sink: EventSink, signal?: AbortSignal): Promise<InstallPlan>;
  install(plan: InstallPlan, sink: EventSink, signal?: AbortSignal): Promise<InstallResult>;
  /** The services' logs as one stream of batches; with `follow` until `signal` aborts. */
  logs(options: LogsOptions, sink: LogSink, signal?: AbortSignal): Promise<LogsResult>;
}
