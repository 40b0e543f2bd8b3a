/** A backup archive as the faces see it (listings, results). */
export interface BackupInfo {
  /** Absolute path of the archive. */
  file: string;
  /** ISO time the backup was taken. */
  createdAt: string;
  /** The install's image tag when the backup was taken, e.g. "v1.0.0". */
  version: string;
  reason: BackupReason;
  /** Size of the archive file. */
  bytes: number;
  /** The data volumes it holds. */
  volumes: string[];
}

export type BackupReason = 'manual' | 'pre-update';

/** How many pre-update backups rotation keeps; manual ones are never rotated away. */
export const KEEP_PRE_UPDATE_BACKUPS = 3;
