import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { installLayout } from '../install-dir.js';
import { backupsDirOf } from './backup-files.js';
import type { BackupInfo } from './types.js';
import { byText } from '../text-order.js';

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
  const archives = names.filter((name) => !name.startsWith('.') && name.endsWith('.tar'));
  if (archives.length === 0) return [];
  // The manifest reader (and zod) loads only when there is a backup: the reset checklist asks every time.
  const { openBackup } = await import('./verify-backup.js');
  const backups: BackupInfo[] = [];
  for (const name of archives) {
    const opened = await openBackup(join(dir, name)).catch(() => undefined);
    if (opened) backups.push(opened.info);
  }
  return backups.sort((a, b) => byText(b.createdAt, a.createdAt) || byText(b.file, a.file));
}
