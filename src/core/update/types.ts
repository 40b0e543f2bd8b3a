import type { DegradedCheck } from '../health/degraded.js';
import type { UpdateChannel } from '../../update/versions.js';
import type { CoreDeps } from '../deps.js';
import type { EventSink } from '../events.js';
import type { ServiceStatus } from '../status/types.js';

/**
 * Where an update is, written to disk before each step so that a kill or power loss at any point
 * is found by the next run:
 * - pulling: nothing changed yet;
 * - backing-up: the backup may have stopped services;
 * - switching: .env may name either version, Compose may be starting the new one;
 * - waiting: the new version runs, health is not confirmed;
 * - rolling-back: the previous version is being put back (its data restored when needed).
 */
export type UpdatePhase = 'pulling' | 'backing-up' | 'switching' | 'waiting' | 'rolling-back';

export interface UpdateState {
  format: 1;
  from: string;
  to: string;
  phase: UpdatePhase;
  startedAt: string;
  updatedAt: string;
  /** The openmates process doing the update. */
  pid: number;
  /** The pre-update backup, once it is complete. */
  backupFile?: string;
  /** Compose was asked to start the new version: it may have written to the data volumes. */
  newVersionStarted: boolean;
  /** The compose files before and after the update, when the new release brings its own. */
  previousCompose?: string;
  targetCompose?: string;
  /** Why a rollback is under way. */
  failure?: string;
}

/** An update found on disk: `running` when its process is still alive (then it must be left alone). */
export interface InterruptedUpdate extends UpdateState {
  running: boolean;
}

/** What to do with an interrupted update: carry it through to the new version, or put the old one back. */
export type RecoveryChoice = 'finish' | 'roll-back';

export interface UpdateOptions {
  installDir: string;
  /** A tag to go to instead of the newest release of the channel. */
  to?: string;
  /** Seconds to wait for health after the switch (default: the stack's healthTimeout). */
  healthTimeout?: number;
  /** How long the registry may take to list the versions. */
  registryTimeoutMs?: number;
}

export interface DiskNeed {
  /** What goes there: "backup", "images", or both. */
  what: string;
  path: string;
  freeBytes?: number;
  neededBytes: number;
  /** Undefined when the free space could not be read (e.g. a remote engine). */
  enough?: boolean;
}

export interface UpdatePlan {
  installDir: string;
  project: string;
  current: string;
  /** The version the update goes to (the current one when up to date). */
  target: string;
  /** The newest release of the channel, when the registry was asked. */
  latest?: string;
  /** The git commit the target's compose file comes from (its version image's revision label), when it was fetched by one. */
  targetCommit?: string;
  channel: UpdateChannel;
  upToDate: boolean;
  /** Every image of the target version, and those not yet on this server. */
  images: string[];
  imagesToPull: string[];
  /** The pre-update backup: where it goes, the volumes it copies (with their size when known), the files it keeps. */
  backup: { directory: string; volumes: string[]; estimatedBytes?: number; includes: string[] };
  disk: DiskNeed[];
  healthTimeout: number;
  /** An update that was interrupted; `update` carries out `resume` for it. */
  interrupted?: InterruptedUpdate;
  resume: RecoveryChoice;
  /** The compose files of the current and the target release, when they differ. */
  targetCompose?: string;
  currentCompose?: string;
  /** Whether the instance is healthy now (a rollback can only bring back this state). */
  healthyNow?: boolean;
  warnings: string[];
  steps: { id: string; title: string }[];
}

export interface UpdateResult {
  /** "updated", or "rolled-back" when the user chose to roll an interrupted update back. */
  outcome: 'updated' | 'rolled-back' | 'up-to-date';
  project: string;
  from: string;
  /** The version running now. */
  version: string;
  installDir: string;
  services: ServiceStatus[];
  /** Health checks that answered degraded: the version runs, with a warning. */
  degraded: DegradedCheck[];
  backupFile?: string;
  logFile: string;
}

/** The backup operations the update uses (the real ones in src/core/backup/, fakes in unit tests). */
export interface BackupTools {
  createBackup(
    options: { installDir: string; reason: 'pre-update' },
    deps: CoreDeps,
    sink: EventSink,
    signal?: AbortSignal,
  ): Promise<{ file: string; bytes: number; volumes: string[] }>;
  restoreBackup(options: { installDir: string; file: string }, deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<unknown>;
}
