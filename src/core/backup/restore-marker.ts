import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstallLayout } from '../install-dir.js';
import { backupsDirOf, ensurePrivateDir } from './backup-files.js';

/**
 * Written before a restore starts replacing data and removed once the stack is starting on it,
 * so a restore killed half-way is recognised by the next run.
 */
export interface RestoreMarker {
  file: string;
  startedAt: string;
}

function markerPath(layout: InstallLayout): string {
  return join(backupsDirOf(layout), '.restore-in-progress.json');
}

export async function writeRestoreMarker(layout: InstallLayout, file: string): Promise<void> {
  await ensurePrivateDir(backupsDirOf(layout));
  const marker: RestoreMarker = { file, startedAt: new Date().toISOString() };
  await writeFile(markerPath(layout), `${JSON.stringify(marker)}\n`, { mode: 0o600 });
}

export async function clearRestoreMarker(layout: InstallLayout): Promise<void> {
  await rm(markerPath(layout), { force: true });
}

/** The restore that was interrupted while replacing data, if any. */
export async function readRestoreMarker(layout: InstallLayout): Promise<RestoreMarker | undefined> {
  try {
    const parsed = JSON.parse(await readFile(markerPath(layout), 'utf8')) as Partial<RestoreMarker>;
    return typeof parsed.file === 'string' && typeof parsed.startedAt === 'string' ? { file: parsed.file, startedAt: parsed.startedAt } : undefined;
  } catch {
    return undefined;
  }
}
