import { createBackup } from '../backup/create-backup.js';
import { restoreBackup } from '../backup/restore-backup.js';
import type { EventSink } from '../events.js';
import type { BackupTools } from './types.js';

/** The real backup and restore (src/core/backup/); the update calls restore without a phrase: it is its own backup. */
export const backupTools: BackupTools = { createBackup, restoreBackup };

/**
 * Passes a nested operation's events on with its step ids prefixed ("backup:stop"), so that its
 * steps ("start", "health", …) never overwrite the update's own steps of the same name.
 */
export function nestedSink(sink: EventSink, prefix: string): EventSink {
  return (event) => {
    if (event.type === 'step-started' || event.type === 'step-finished' || event.type === 'step-failed') sink({ ...event, step: `${prefix}:${event.step}` });
    else sink(event);
  };
}
