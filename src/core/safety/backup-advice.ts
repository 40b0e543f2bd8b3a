import type { BackupAdvice } from './types.js';

/** When this install was last backed up, for the advice shown before anything is deleted. */
export async function readBackupAdvice(_installDir: string): Promise<BackupAdvice> {
  return { supported: false };
}
