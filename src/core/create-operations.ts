import { createBackup } from './backup/create-backup.js';
import { restorePhraseFor, restoreWithConfirmation } from './backup/confirmed-restore.js';
import { listBackups } from './backup/list-backups.js';
import type { CoreDeps } from './deps.js';
import { planInstall } from './install/plan-install.js';
import { runInstall } from './install/run-install.js';
import { createLoginOperations } from './login/create-login-operations.js';
import { streamLogs } from './logs/stream-logs.js';
import type { Operations } from './operations.js';
import { readStatus } from './status/read-status.js';
import { checkForUpdates } from '../update/check-updates.js';
import { backupTools } from './update/backup-tools.js';
import { planUpdate } from './update/plan-update.js';
import { runUpdate } from './update/run-update.js';
import { planReset } from './safety/plan-reset.js';
import { runReset } from './safety/reset.js';
import { planUninstall, runUninstall } from './safety/uninstall.js';
import { openSettings, readSettingsFile } from './settings.js';
import { watchDashboard } from './dashboard/watch-dashboard.js';
import { planLifecycle } from './lifecycle/plan-lifecycle.js';
import { runLifecycle } from './lifecycle/run-lifecycle.js';

export function createOperations(deps: CoreDeps): Operations {
  return {
    status: (options, signal) => readStatus(options, deps, signal),
    planInstall: (options, sink, signal) => planInstall(options, deps, sink, signal),
    install: (plan, sink, signal) => runInstall(plan, deps, sink, signal),
    ...createLoginOperations(),
    planReset: (options) => planReset(options, deps),
    reset: (plan, run, sink, signal) => runReset(plan, run, deps, sink, signal),
    planUninstall: (options) => planUninstall(options, deps),
    uninstall: (plan, run, sink, signal) => runUninstall(plan, run, deps, sink, signal),
    readSettings: () => readSettingsFile(),
    updateSettings: async (patch) => (await openSettings()).update(patch),
    backup: (options, sink, signal) => createBackup({ ...options, reason: 'manual' }, deps, sink, signal),
    restore: (options, sink, signal) => restoreWithConfirmation(options, deps, sink, signal),
    restorePhrase: (options) => restorePhraseFor(options),
    listBackups: (options) => listBackups(options),
    checkForUpdates: (options, signal) => checkForUpdates(options, signal),
    planUpdate: (options, sink, signal) => planUpdate(options, deps, sink, signal),
    update: (plan, sink, signal) => runUpdate(plan, deps, sink, signal, backupTools),
    watchDashboard: (options, onSnapshot, signal) => watchDashboard(options, deps, onSnapshot, signal),
    planLifecycle: (options) => planLifecycle(options, deps),
    runLifecycle: (plan, sink, signal) => runLifecycle(plan, deps, sink, signal),
    logs: (options, sink, signal) => streamLogs(options, deps, sink, signal),
  };
}
