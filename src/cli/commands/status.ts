import { readSettingsFile } from '../../core/settings.js';
import { readStatus } from '../../core/status/read-status.js';
import type { InstanceStatus } from '../../core/status/types.js';
import { READY_STATES } from '../../core/health/service-state.js';
import { phaseText } from '../../core/update/recovery.js';
import type { CommonOptions } from '../common-options.js';
import { installDirOf, type CliContext } from '../context.js';
import { color, humanDuration, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';

export async function statusCommand(options: CommonOptions, context: CliContext): Promise<number> {
  // A corrupt settings file is exit 11 naming it, as for every command that reads the settings.
  const settings = readSettingsFile();
  settings.catch(() => undefined);
  // Only what status needs is loaded (not every operation): it is the command scripts poll.
  const status = await readStatus({ installDir: installDirOf(options) }, await context.deps(), context.signal);
  const { safetyMode } = await settings;
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ...status, safetyMode: safetyMode ?? null });
  else context.stdout.write(statusText(status) + safetyModeText(safetyMode));
  return 0;
}

export function safetyModeText(safetyMode: boolean | undefined): string {
  if (safetyMode === undefined) return 'Safety mode: not set (openmates config set safety-mode on|off)\n';
  return safetyMode
    ? 'Safety mode: on (production server: restart and update ask first; deleting data needs the typed phrase)\n'
    : 'Safety mode: off (restart and update run without asking; deleting data still needs the typed phrase)\n';
}

export function statusText(status: InstanceStatus): string {
  if (!status.installed) {
    const kept = status.keptData
      ? `  ${status.keptData.project} was uninstalled here with its data kept (volumes ${status.keptData.volumes.join(', ')}, and ${status.keptData.envFile}); see ${status.keptData.note}.\n` +
        `  Reinstall with the same data: openmates server install --path ${status.installDir}\n` +
        `  Delete the kept data: openmates server uninstall --delete-data --path ${status.installDir}\n`
      : `  Install with: openmates server install${status.installDir ? ` --path ${status.installDir}` : ''}\n`;
    return `Not installed in ${status.installDir}.\n${kept}`;
  }
  const badge = status.healthy ? (status.degraded ? color.yellow('up, degraded') : color.green('healthy')) : color.red('not healthy');
  const lines = [`${color.bold(`${status.project} ${status.version ?? ''}`.trim())} · ${badge} · ${status.installDir}`, ''];
  const update = status.interruptedUpdate;
  if (update) {
    lines.push(
      color.yellow(
        update.running
          ? `! An update from ${update.from} to ${update.to} is running right now.`
          : `! An update from ${update.from} to ${update.to} was interrupted ${phaseText(update)}: run \`openmates server update\` to finish it or roll it back.`,
      ),
      '',
    );
  }
  if (status.services.length > 0) {
    const rows = [['SERVICE', 'STATE', 'UP', 'RESTARTS']];
    for (const service of status.services) {
      // Cells stay uncoloured so the columns line up; a mark flags what is not ready.
      const state = READY_STATES.includes(service.state) ? service.state : `${service.state} ✗`;
      rows.push([service.service, state, service.engineState === 'running' ? humanDuration(service.startedAt) : '-', String(service.restartCount)]);
    }
    lines.push(table(rows), '');
  }
  if (status.checks.length > 0) {
    lines.push('Health checks');
    for (const check of status.checks) {
      const mark = !check.ok ? color.red('✗') : check.degraded ? color.yellow('!') : color.green('✓');
      lines.push(`  ${mark} ${check.name}  ${color.dim(check.url)}  ${check.degraded ? `degraded: ${check.reasons?.join(', ') || check.detail}` : check.detail}`);
    }
    lines.push('');
  }
  if (status.urls.length > 0) {
    lines.push('URLs');
    for (const url of status.urls) lines.push(`  ${url.name}: ${url.url}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
