import { createOperations } from '../../core/create-operations.js';
import type { BackupInfo } from '../../core/backup/types.js';
import type { BackupCommandOptions } from './backup.command.js';
import { installDirOf, type CliContext } from '../context.js';
import { color, humanBytes } from '../format.js';
import { humanProgressSink } from '../render/human-progress.js';
import { jsonEventSink, writeJsonLine } from '../render/json-lines.js';

export async function backupCommand(options: BackupCommandOptions, context: CliContext): Promise<number> {
  const operations = createOperations(await context.deps());
  const sink = options.json ? jsonEventSink(context.stdout) : humanProgressSink(context.stderr);
  const backup = await operations.backup({ installDir: installDirOf(options), ...(options.output ? { output: options.output } : {}) }, sink, context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...backup });
  else context.stdout.write(backupText(backup));
  return 0;
}

function backupText(backup: BackupInfo): string {
  return [
    '',
    `${color.green('✓')} Backup of ${color.bold(backup.version)} written: ${color.bold(backup.file)}`,
    `  ${humanBytes(backup.bytes)} · volumes: ${backup.volumes.join(', ') || 'none'} · .env, compose file and stack file`,
    color.dim('  It holds the secrets from .env: keep it private (it is mode 0600).'),
    '',
  ].join('\n');
}
