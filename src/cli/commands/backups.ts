import type { BackupInfo } from '../../core/backup/types.js';
import type { CommonOptions } from '../common-options.js';
import { DEFAULT_INSTALL_DIR, installLayout } from '../../core/install-dir.js';
import { installDirOf, type CliContext } from '../context.js';
import { color, humanBytes, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';

export async function backupsCommand(options: CommonOptions, context: CliContext): Promise<number> {
  // Listing reads files only: no Docker connection needed.
  const [{ listBackups }, { readRestoreMarker }, { restorePhraseFor }] = await Promise.all([
    import('../../core/backup/list-backups.js'),
    import('../../core/backup/restore-marker.js'),
    import('../../core/backup/confirmed-restore.js'),
  ]);
  const installDir = installDirOf(options);
  const backups = await listBackups({ installDir });
  const interrupted = await readRestoreMarker(installLayout(installDir));
  if (options.json) writeJsonLine(context.stdout, { type: 'result', installDir, backups, interruptedRestore: interrupted ?? null });
  else {
    if (interrupted) {
      context.stderr.write(
        `${color.yellow('!')} A restore of ${interrupted.file} started ${interrupted.startedAt} did not finish: the stack may be stopped with part of its data replaced.\n  ${color.yellow('→')} Run the same restore again to finish it.\n\n`,
      );
    }
    const phrase = backups.length > 0 ? await restorePhraseFor({ installDir }).catch(() => undefined) : undefined;
    context.stdout.write(backupsText(backups, installDir, phrase));
  }
  return 0;
}

function backupsText(backups: BackupInfo[], installDir: string, phrase: string | undefined): string {
  if (backups.length === 0) return `No backups in ${installDir}/backups yet.\n  Make one with: openmates server backup --path ${installDir}\n`;
  const rows = [['TIME (UTC)', 'VERSION', 'REASON', 'SIZE', 'FILE']];
  for (const backup of backups) {
    rows.push([backup.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ''), backup.version, backup.reason, humanBytes(backup.bytes), backup.file]);
  }
  const restore = `openmates server restore --file FILE --confirm "${phrase ?? '<phrase>'}"${installDir === DEFAULT_INSTALL_DIR ? '' : ` --path ${installDir}`}`;
  return `${table(rows)}\n\n${color.dim(`  Restore one (it replaces the data volumes and .env) with:\n    ${restore}`)}\n`;
}
