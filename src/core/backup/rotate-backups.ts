import { rm } from 'node:fs/promises';
import { listBackups } from './list-backups.js';
import { KEEP_PRE_UPDATE_BACKUPS } from './types.js';

/** Deletes all but the newest `keep` pre-update backups of an install; manual ones are never touched. Returns the deleted files. */
export async function rotatePreUpdateBackups(options: { installDir: string; keep?: number }): Promise<string[]> {
  const keep = options.keep ?? KEEP_PRE_UPDATE_BACKUPS;
  const preUpdate = (await listBackups({ installDir: options.installDir })).filter((backup) => backup.reason === 'pre-update');
  const doomed = preUpdate.slice(keep).map((backup) => backup.file);
  for (const file of doomed) await rm(file, { force: true });
  return doomed;
}
