import { requireConfirmation, restorePhrase } from '../confirmation.js';
import type { CoreDeps } from '../deps.js';
import type { EventSink } from '../events.js';
import { readInstall } from './installed-stack.js';
import { restoreBackup } from './restore-backup.js';
import type { BackupInfo } from './types.js';

/** The phrase a restore of this install needs: "restore <stack name> on <hostname>". */
export async function restorePhraseFor(options: { installDir: string }): Promise<string> {
  return restorePhrase((await readInstall(options.installDir)).stack.name);
}

/** A restore as the faces start it: the exact phrase first, then restoreBackup. */
export async function restoreWithConfirmation(
  options: { installDir: string; file: string; confirm?: string },
  deps: CoreDeps,
  sink: EventSink,
  signal?: AbortSignal,
): Promise<BackupInfo> {
  const { stack, layout } = await readInstall(options.installDir);
  requireConfirmation({
    expected: restorePhrase(stack.name),
    given: options.confirm,
    consequence: `Restoring replaces the data volumes and .env of ${stack.name} in ${layout.root}`,
  });
  return restoreBackup({ installDir: options.installDir, file: options.file }, deps, sink, signal);
}
