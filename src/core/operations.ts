import type { BackupInfo } from './backup/types.js';
import type { EventSink } from './events.js';
import type { InstallOptions, InstallPlan, InstallResult } from './install/types.js';
import type { LoginOperations } from './login/types.js';
import type { InstanceStatus } from './status/types.js';
import type { UpdateOptions, UpdatePlan, UpdateResult } from './update/types.js';
import type { UpdateCheck } from '../update/check-updates.js';

/**
 * The operations every face uses, bound to their dependencies. The TUI receives this object as a
 * prop, so screen tests can hand it fakes.
 */
export interface Operations extends LoginOperations {
  status(options: { installDir: string }, signal?: AbortSignal): Promise<InstanceStatus>;
  /** Preflight and plan; throws OpenmatesError('preflight') when a check fails with level error. */
  planInstall(options: InstallOptions, sink: EventSink, signal?: AbortSignal): Promise<InstallPlan>;
  install(plan: InstallPlan, sink: EventSink, signal?: AbortSignal): Promise<InstallResult>;
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
}
