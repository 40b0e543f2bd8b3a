import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstallLayout } from '../install-dir.js';
import type { BackupReason } from './types.js';

export function backupsDirOf(layout: InstallLayout): string {
  return join(layout.root, 'backups');
}

/** A directory only its owner may enter: backups hold .env secrets. */
export { ensurePrivateFolder as ensurePrivateDir } from '../files/private-folder.js';

/** "<stack>-<version>-<YYYYMMDD-HHMMSS>-<reason>.tar", in UTC so names sort by time. */
export function backupFileName(stack: string, version: string, reason: BackupReason, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  return `${stack}-${version.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}-${reason}.tar`;
}

const PARTIAL = /^\.(.+)\.(\d+)\.partial$/;

/** Where a backup is written until it is complete; the pid tells whose it is. */
export function partialNameFor(finalName: string): string {
  return `.${finalName}.${process.pid}.partial`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes half-written backups of runs that are gone (killed while writing). */
export async function removeAbandonedPartials(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const abandoned = names.filter((name) => {
    const match = PARTIAL.exec(name);
    return match !== null && Number(match[2]) !== process.pid && !processAlive(Number(match[2]));
  });
  for (const name of abandoned) await rm(join(dir, name), { force: true });
  return abandoned;
}
