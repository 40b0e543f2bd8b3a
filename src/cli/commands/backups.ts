import { createOperations } from '../../core/create-operations.js';
import type { BackupInfo } from '../../core/backup/types.js';
import type { CommonOptions } from '../common-options.js';
import { installDirOf, type CliContext } from '../context.js';
import { color, humanBytes, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';

export async function backupsCommand(options: CommonOptions, context: CliContext): Promise<number> {
  // Listing reads files only: no Docker connection needed.
  const { listBackups } = await import('../../core/backup/list-backups.js');
  const installDir = installDirOf(options);
  const backups = await listBackups({ installDir });
  if (options.json) writeJsonLine(context.stdout, { type: 'result', installDir, backups });
  else context.stdout.write(backupsText(backups, installDir));
  return 0;
}

function backupsText(backups: BackupInfo[], installDir: string): string {
  if (backups.length === 0) return `No backups in ${installDir}/backups yet.\n  Make one with: openmates server backup --path ${installDir}\n`;
  const rows = [['TIME (UTC)', 'VERSION', 'REASON', 'SIZE', 'FILE']];
  for (const backup of backups) {
    rows.push([backup.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ''), backup.version, backup.reason, humanBytes(backup.bytes), backup.file]);
  }
  return `${table(rows)}\n\n${color.dim(`  Restore one with: openmates server restore --file FILE --confirm "<phrase>" (the phrase is named when it is missing)`)}\n`;
}
