import { degradedLines, upWord } from '../render/degraded-text.js';
import { upToDateText } from '../../core/update/plan-text.js';
import { phaseText } from '../../core/update/recovery.js';
import type { InterruptedUpdate, UpdatePlan, UpdateResult } from '../../core/update/types.js';
import type { CliUpdateInfo } from '../../update/check-updates.js';
import { color, humanBytes, table } from '../format.js';

/** The plan as `update --check` prints it, and as `update` shows it before asking. */
export function planText(plan: UpdatePlan): string {
  const lines: string[] = [];
  if (plan.interrupted) {
    lines.push(color.yellow(interruptedLine(plan.interrupted)));
    lines.push(`  ${plan.resume === 'finish' ? `Finishing it goes on to ${plan.target} (rolling back by itself if it does not come up).` : `It can only be rolled back to ${plan.current}.`}`);
  } else if (plan.upToDate) {
    lines.push(`${color.bold(plan.project)} ${upToDateText(plan)}.`);
  } else {
    const newest = plan.latest && plan.latest !== plan.target ? `  (newest ${plan.channel} release: ${plan.latest})` : '';
    lines.push(`${color.bold(plan.project)}  ${plan.current} → ${color.bold(plan.target)}${newest}`);
  }
  if (!plan.upToDate) {
    const here = plan.images.length - plan.imagesToPull.length;
    const size = (bytes: number | undefined) => (bytes === undefined ? '' : ` (${humanBytes(bytes)})`);
    const rows = [
      ['Pull', `${plan.images.length} image${plan.images.length === 1 ? '' : 's'} of ${plan.target}${here > 0 ? `, ${here} already here` : ''}`],
      ...(plan.targetCommit ? [['Compose', `the compose file of ${plan.target}, from commit ${plan.targetCommit}`]] : []),
      ['Backup', `${plan.backup.volumes.join(', ') || 'no data volumes'}${size(plan.backup.estimatedBytes)}, ${plan.backup.includes.join(', ')} → ${plan.backup.directory}`],
      ...plan.disk.map((place) => ['Disk', diskLine(place)]),
      ['Health', `up to ${plan.healthTimeout} s after the switch; if ${plan.target} is not healthy by then, ${plan.current} is put back by itself`],
    ];
    lines.push(table(rows));
  }
  for (const warning of plan.warnings) lines.push(color.yellow(`! ${warning}`));
  return `${lines.join('\n')}\n`;
}

function diskLine(place: UpdatePlan['disk'][number]): string {
  const free = place.freeBytes === undefined ? 'free space unknown' : `${humanBytes(place.freeBytes)} free`;
  const mark = place.enough === false ? color.red(' ✗ not enough') : '';
  return `${place.what}: ${free} at ${place.path}, about ${humanBytes(place.neededBytes)} needed${mark}`;
}

export function interruptedLine(state: InterruptedUpdate): string {
  return `An update from ${state.from} to ${state.to} was interrupted ${phaseText(state)}.`;
}

export function cliNoticeText(cli: CliUpdateInfo | undefined): string {
  if (!cli?.available) return '';
  return `${color.yellow('!')} openmates ${cli.latest} is out (this is ${cli.current}); upgrade with: ${color.bold(cli.upgradeCommand)}\n`;
}

export function resultText(result: UpdateResult): string {
  const headline =
    result.outcome === 'updated'
      ? `${color.green('✓')} ${color.bold(result.project)} is on ${color.bold(result.version)} and ${upWord(result.degraded)} (was ${result.from}).`
      : result.outcome === 'rolled-back'
        ? `${color.green('✓')} Rolled back: ${color.bold(result.project)} runs ${color.bold(result.version)} again, ${upWord(result.degraded)}.`
        : `${color.green('✓')} ${color.bold(result.project)} ${result.version} is up to date; nothing changed.`;
  const lines = ['', headline, ...degradedLines(result.degraded)];
  if (result.services.length > 0) lines.push('', table(result.services.map((service) => [service.service, service.state])));
  lines.push('');
  if (result.backupFile) lines.push(color.dim(`  Pre-update backup: ${result.backupFile}`));
  lines.push(color.dim(`  Update log: ${result.logFile}`), '');
  return lines.join('\n');
}
