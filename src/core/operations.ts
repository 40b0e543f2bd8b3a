import type { BackupInfo } from './backup/types.js';
import type { EventSink } from './events.js';
import type { InstallOptions, InstallPlan, InstallResult } from './install/types.js';
import type { LoginOperations } from './login/types.js';
import type { LogSink, LogsOptions, LogsResult } from './logs/types.js';
import type { InstanceStatus } from './status/types.js';
import type { UpdateOptions, UpdatePlan, UpdateResult } from './update/types.js';
import type { UpdateCheck } from '../update/check-updates.js';
import type { ResetOptions, ResetPlan, ResetResult, ResetRun } from './safety/reset.js';
import type { DeletionResult } from './safety/types.js';
import type { UninstallOptions, UninstallPlan, UninstallRun } from './safety/uninstall.js';
import type { Settings } from './settings.js';
import type { DashboardOptions, DashboardSnapshot } from './dashboard/types.js';
import type { LifecycleOptions, LifecyclePlan, LifecycleResult } from './lifecycle/types.js';

/**
 * The operations every face uses, bound to their dependencies. The TUI receives this object as a
 * prop, so screen tests can hand it fakes.
 */
export interface Operations extends LoginOperations {
  status(options: { installDir: string }, signal?: AbortSignal): Promise<InstanceStatus>;
  /** Preflight and plan; throws OpenmatesError('preflight') when a check fails with level error. */
  planInstall(options: InstallOptions, sink: EventSink, signal?: AbortSignal): Promise<InstallPlan>;
  install(plan: InstallPlan, sink: EventSink, signal?: AbortSignal): Promise<InstallResult>;
  /** What a reset would delete and keep (nothing is changed); throws 'not-installed'. */
  planReset(options: ResetOptions, signal?: AbortSignal): Promise<ResetPlan>;
  /** Throws 'confirmation-required' (deleting nothing) unless run.confirmation is exactly plan.phrase. */
  reset(plan: ResetPlan, run: ResetRun, sink: EventSink, signal?: AbortSignal): Promise<ResetResult>;
  planUninstall(options: UninstallOptions, signal?: AbortSignal): Promise<UninstallPlan>;
  /** With plan.deleteData, throws 'confirmation-required' unless run.confirmation is exactly plan.phrase. */
  uninstall(plan: UninstallPlan, run: UninstallRun, sink: EventSink, signal?: AbortSignal): Promise<DeletionResult>;
  /** This machine's settings (safety mode, update checks); throws 'invalid-config' for a corrupt file. */
  readSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;
  /** A manual backup into <install dir>/backups (or `output`). */
  backup(options: { installDir: string; output?: string }, sink: EventSink, signal?: AbortSignal): Promise<BackupInfo>;
  /** Restores after checking the exact phrase (`restorePhrase`); OpenmatesError('confirmation-required') otherwise. */
  restore(options: { installDir: string; file: string; confirm?: string }, sink: EventSink, signal?: AbortSignal): Promise<BackupInfo>;
  /** The phrase `restore` needs: "restore <stack name> on <hostname>". */
  restorePhrase(options: { installDir: string }): Promise<string>;
  /** Newest first. */
  listBackups(options: { installDir: string }): Promise<BackupInfo[]>;
  /** Is a newer OpenMates (registry) or CLI (npm) out? Cached for a day, ~2 s of network at most; never throws. */
  checkForUpdates(options: { installDir: string; cliVersion?: string }, signal?: AbortSignal): Promise<UpdateCheck>;
  /** Current and target version, images, backup, disk, an interrupted update; changes nothing. */
  planUpdate(options: UpdateOptions, sink: EventSink, signal?: AbortSignal): Promise<UpdatePlan>;
  /** Pull, back up, switch, wait for health; rolls back by itself (OpenmatesError 'rolled-back' / 'rollback-failed'). */
  update(plan: UpdatePlan, sink: EventSink, signal?: AbortSignal): Promise<UpdateResult>;
  /**
   * Feeds `onSnapshot` the instance's live state until `signal` aborts (then resolves). When the
   * engine goes away the snapshot says so and the watch retries; when nothing is installed it
   * sends one snapshot and resolves.
   */
  watchDashboard(options: DashboardOptions, onSnapshot: (snapshot: DashboardSnapshot) => void, signal: AbortSignal): Promise<void>;
  /** What start, stop or restart will do; throws 'not-installed' when there is nothing to act on. */
  planLifecycle(options: LifecycleOptions, signal?: AbortSignal): Promise<LifecyclePlan>;
  runLifecycle(plan: LifecyclePlan, sink: EventSink, signal?: AbortSignal): Promise<LifecycleResult>;
  /** The services' logs as one stream of batches; with `follow` until `signal` aborts. */
  logs(options: LogsOptions, sink: LogSink, signal?: AbortSignal): Promise<LogsResult>;
}
