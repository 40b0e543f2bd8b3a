import type { EventSink } from './events.js';
import type { InstallOptions, InstallPlan, InstallResult } from './install/types.js';
import type { InstanceStatus } from './status/types.js';
import type { DashboardOptions, DashboardSnapshot } from './dashboard/types.js';
import type { LifecycleOptions, LifecyclePlan, LifecycleResult } from './lifecycle/types.js';

/**
 * The operations every face uses, bound to their dependencies. The TUI receives this object as a
 * prop, so screen tests can hand it fakes.
 */
export interface Operations {
  status(options: { installDir: string }, signal?: AbortSignal): Promise<InstanceStatus>;
  /** Preflight and plan; throws OpenmatesError('preflight') when a check fails with level error. */
  planInstall(options: InstallOptions, sink: EventSink, signal?: AbortSignal): Promise<InstallPlan>;
  install(plan: InstallPlan, sink: EventSink, signal?: AbortSignal): Promise<InstallResult>;
  /**
   * Feeds `onSnapshot` the instance's live state until `signal` aborts (then resolves). When the
   * engine goes away the snapshot says so and the watch retries; when nothing is installed it
   * sends one snapshot and resolves.
   */
  watchDashboard(options: DashboardOptions, onSnapshot: (snapshot: DashboardSnapshot) => void, signal: AbortSignal): Promise<void>;
  /** What start, stop or restart will do; throws 'not-installed' when there is nothing to act on. */
  planLifecycle(options: LifecycleOptions, signal?: AbortSignal): Promise<LifecyclePlan>;
  runLifecycle(plan: LifecyclePlan, sink: EventSink, signal?: AbortSignal): Promise<LifecycleResult>;
}
