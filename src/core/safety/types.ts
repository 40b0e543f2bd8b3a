import type { DestructiveAction } from './confirmation-phrase.js';

/** One volume a destructive action deletes, with what lives there in plain words. */
export interface VolumeLoss {
  name: string;
  /** data: user data (accounts, chats, keys); cache: rebuilt by the stack. */
  role: 'data' | 'cache';
  /** As the engine measures it (`docker system df -v`); undefined when it could not say. */
  bytes?: number;
  holds: string;
}

/** One file or directory of the install dir a destructive action deletes. */
export interface FileLoss {
  /** Relative to the install dir. */
  path: string;
  holds: string;
  /** True for files holding secrets (.env). */
  secret: boolean;
}

/** What the user is told about backups before anything is deleted. */
export interface BackupAdvice {
  /** False when a backup cannot be made now; `unavailable` then says why instead of offering one. */
  supported: boolean;
  unavailable?: string;
  /** The newest backup of this install, if any. */
  last?: { file: string; createdAt: string; bytes: number };
  /** Where backups go, for the "what survives" list. */
  directory?: string;
}

/**
 * Everything a person must see before a destructive action: what goes (concrete for this instance),
 * what stays, the backup situation, and the phrase that lets it go on. Every face renders this.
 */
export interface DestructivePlan {
  action: DestructiveAction;
  project: string;
  installDir: string;
  hostName: string;
  /** `<action> <project> on <host>`: typed in the app, or passed as --confirm. */
  phrase: string;
  /** One sentence: what this does. */
  headline: string;
  volumes: VolumeLoss[];
  files: FileLoss[];
  /** Removed too, but nothing of value is lost with them (containers, networks). */
  alsoRemoved: string[];
  /** What survives, in plain words. */
  keeps: string[];
  /** Data volumes that survive, with sizes (e.g. an uninstall that keeps the data). */
  keptVolumes: VolumeLoss[];
  backup: BackupAdvice;
  /** E.g. "volume sizes could not be measured". */
  warnings: string[];
  /** The steps the action goes through, so a face can list them before they start. */
  steps: { id: string; title: string }[];
}

/** What a destructive (or removing) action did. */
export interface DeletionResult {
  action: DestructiveAction;
  project: string;
  installDir: string;
  deletedVolumes: { name: string; bytes?: number }[];
  /** Relative to the install dir. */
  deletedFiles: string[];
  removedContainers: number;
  removedNetworks: string[];
  /** What survives, in plain words. */
  kept: string[];
  /** What to do next: commands, in plain words. */
  next: string[];
  /** Reset with "start fresh": the stack came back up healthy. */
  startedFresh: boolean;
  /** A backup made right before deleting, if one was asked for. */
  backupFile?: string;
  logFile: string;
}
