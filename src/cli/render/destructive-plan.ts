import type { DeletionResult, DestructivePlan, VolumeLoss } from '../../core/safety/types.js';
import { color, humanBytes, humanDuration, table } from '../format.js';

function size(volume: { bytes?: number }): string {
  return volume.bytes === undefined ? 'size unknown' : humanBytes(volume.bytes);
}

function volumeRows(volumes: VolumeLoss[], mark: string): string[][] {
  return volumes.map((volume) => [`${mark} volume ${volume.name}`, size(volume), volume.holds]);
}

/** The checklist a person reads before anything is deleted: what goes, what stays, backups. */
export function destructivePlanText(plan: DestructivePlan): string {
  const lines = [color.bold(plan.headline), ''];
  if (plan.volumes.length > 0 || plan.files.length > 0) {
    lines.push(color.red('Deletes, for good:'));
    const rows = [...volumeRows(plan.volumes, color.red('✗')), ...plan.files.map((file) => [`${color.red('✗')} file ${file.path}`, '', file.holds])];
    lines.push(table(rows));
    const total = plan.volumes.reduce((sum, volume) => sum + (volume.bytes ?? 0), 0);
    if (plan.volumes.length > 0) lines.push(color.dim(`  ${plan.volumes.length} volume${plan.volumes.length === 1 ? '' : 's'}, ${humanBytes(total)}${plan.volumes.some((v) => v.bytes === undefined) ? ' or more' : ''} of data`));
  } else if (plan.action === 'uninstall') {
    lines.push('Deletes no data.');
  } else {
    lines.push('There is no data to delete (no volumes of this stack exist).');
  }
  if (plan.alsoRemoved.length > 0) lines.push('', 'Also removes:', ...plan.alsoRemoved.map((item) => `  - ${item}`));
  lines.push('', color.green('Keeps:'));
  if (plan.keptVolumes.length > 0) lines.push(table(volumeRows(plan.keptVolumes, color.green('✓'))));
  lines.push(...plan.keeps.map((item) => `  ${color.green('✓')} ${item}`));
  for (const warning of plan.warnings) lines.push('', color.yellow(`! ${warning}`));
  if (plan.volumes.length > 0 || plan.files.length > 0) lines.push('', backupText(plan));
  return `${lines.join('\n')}\n`;
}

export function backupText(plan: DestructivePlan): string {
  const { backup } = plan;
  const last = backup.last ? `the last backup was made ${humanDuration(backup.last.createdAt)} ago (${backup.last.createdAt}, ${humanBytes(backup.last.bytes)}, ${backup.last.file})` : `there is no backup of ${plan.project}`;
  if (!backup.supported) return color.yellow(`Backups: ${last}; ${backup.unavailable ?? 'no backup can be made now'}.`);
  if (!backup.last) return color.yellow(`Backups: there is no backup of ${plan.project}. Make one first: pass --backup, or run openmates server backup --path ${plan.installDir}.`);
  return `Backups: ${last}. Pass --backup to make a fresh one first.`;
}

/** What was done, for stdout. */
export function deletionResultText(result: DeletionResult): string {
  const lines: string[] = [''];
  const verb = result.action === 'reset' ? 'Reset' : result.action === 'uninstall' ? 'Uninstalled' : 'Restored';
  lines.push(`${color.green('✓')} ${color.bold(`${verb} ${result.project}`)} in ${result.installDir}.`);
  if (result.backupFile) lines.push(`  Backup made first: ${result.backupFile}`);
  if (result.deletedVolumes.length > 0 || result.deletedFiles.length > 0) {
    lines.push('', 'Deleted:');
    lines.push(...result.deletedVolumes.map((volume) => `  ✗ volume ${volume.name}${volume.bytes === undefined ? '' : ` (${humanBytes(volume.bytes)})`}`));
    lines.push(...result.deletedFiles.map((file) => `  ✗ ${file}`));
  }
  if (result.removedContainers > 0 || result.removedNetworks.length > 0) {
    lines.push('', 'Removed:');
    if (result.removedContainers > 0) lines.push(`  - ${result.removedContainers} container${result.removedContainers === 1 ? '' : 's'}`);
    lines.push(...result.removedNetworks.map((network) => `  - the network ${network}`));
  }
  lines.push('', 'Kept:', ...result.kept.map((item) => `  ✓ ${item}`));
  if (result.next.length > 0) lines.push('', 'Next:', ...result.next.map((item) => `  ${item}`));
  lines.push('', color.dim(`  Log: ${result.logFile}`), '');
  return lines.join('\n');
}
