import { backupsDirOf } from '../backup/backup-files.js';
import { listBackups } from '../backup/list-backups.js';
import { installLayout } from '../install-dir.js';
import type { BackupAdvice } from './types.js';

/** When this install was last backed up (its newest archive in <install dir>/backups), for the advice before deleting. */
export async function readBackupAdvice(installDir: string, options: { uninstalled?: boolean } = {}): Promise<BackupAdvice> {
  const directory = backupsDirOf(installLayout(installDir));
  const [newest] = await listBackups({ installDir }).catch(() => []);
  return {
    supported: !options.uninstalled,
    ...(options.uninstalled ? { unavailable: 'a backup needs an installed stack: reinstall first to make one' } : {}),
    directory,
    ...(newest ? { last: { file: newest.file, createdAt: newest.createdAt, bytes: newest.bytes } } : {}),
  };
}
