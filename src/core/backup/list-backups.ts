import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { installLayout } from '../install-dir.js';
import { backupsDirOf } from './backup-files.js';
import type { BackupInfo } from './types.js';
import { openBackup } from './verify-backup.js';

/**
 * The backups in <install dir>/backups, newest first. Reads each archive's manifest only (not
 * its checksums), so it stays fast; files that are not complete backups are left out.
 */
export async function listBackups(options: { installDir: string }): Promise<BackupInfo[]> {
  const dir = backupsDirOf(installLayout(options.installDir));
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const backups: BackupInfo[] = [];
  for (const name of names) {
    if (name.startsWith('.') || !name.endsWith('.tar')) continue;
    const opened = await openBackup(join(dir, name)).catch(() => undefined);
    if (opened) backups.push(opened.info);
  }
  return backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
}
