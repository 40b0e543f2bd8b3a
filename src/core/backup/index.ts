export type { BackupInfo, BackupReason } from './types.js';
export { KEEP_PRE_UPDATE_BACKUPS } from './types.js';
export { createBackup, type CreateBackupOptions } from './create-backup.js';
export { restoreBackup } from './restore-backup.js';
export { listBackups } from './list-backups.js';
export { rotatePreUpdateBackups } from './rotate-backups.js';
export { verifyBackup } from './verify-backup.js';
export { restorePhraseFor, restoreWithConfirmation } from './confirmed-restore.js';
