import { degradedLines, upWord } from '../render/degraded-text.js';
import { degradedChecks } from '../../core/health/degraded.js';
import { createOperations } from '../../core/create-operations.js';
import type { LifecyclePlan, LifecycleResult } from '../../core/lifecycle/types.js';
import { READY_STATES } from '../../core/health/service-state.js';
import { restartDisruption } from '../../core/safety/disruption.js';
import { installDirOf, type CliContext } from '../context.js';
import { confirmInSafetyMode } from '../safety-gate.js';
import { color, humanBytes, table } from '../format.js';
import { humanProgressSink } from '../render/human-progress.js';
import { jsonEventSink, writeJsonLine } from '../render/json-lines.js';
import type { LifecycleCommandOptions } from './lifecycle.command.js';

const VERB = { start: 'Starting', stop: 'Stopping', restart: 'Restarting' } as const;
const DONE = { start: 'started', stop: 'stopped', restart: 'restarted' } as const;

/** `openmates server start|stop|restart`: the plan (stderr, or a `plan` object with --json), the steps, the result. */
export async function lifecycleCommand(action: LifecyclePlan['action'], options: LifecycleCommandOptions, context: CliContext): Promise<number> {
  const operations = createOperations(await context.deps());
  const plan = await operations.planLifecycle(
    { installDir: installDirOf(options), action, clearCache: options.clearCache, ...(options.timeout !== undefined ? { healthTimeout: options.timeout } : {}) },
    context.signal,
  );
  if (options.json) writeJsonLine(context.stdout, { type: 'plan', ...planForJson(plan) });
  else context.stderr.write(planText(plan));
  // Safety mode (production server): a restart shows what it means and needs an explicit yes.
  if (plan.action === 'restart') await confirmInSafetyMode(restartDisruption(plan), options, context);
  const sink = options.json ? jsonEventSink(context.stdout) : humanProgressSink(context.stderr);
  const result = await operations.runLifecycle(plan, sink, context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...result });
  else context.stdout.write(resultText(result));
  return 0;
}

/** The plan without the stack file's contents (the result of planning, not its input). */
export function planForJson(plan: LifecyclePlan): Omit<LifecyclePlan, 'stack'> {
  const { stack: _stack, ...rest } = plan;
  return rest;
}

export function planText(plan: LifecyclePlan): string {
  const lines = [color.bold(`${VERB[plan.action]} ${plan.project} ${plan.version} in ${plan.installDir}`)];
  const services = plan.services.map((service) => `${service.service} ${service.state}`).join(', ');
  if (services) lines.push(`  Services now: ${services}`);
  lines.push(`  Downtime: ${plan.expectedDowntime.summary}`);
  if (plan.clearCache) {
    lines.push(
      plan.cacheVolumes.length > 0
        ? `  Cached data to delete: ${plan.cacheVolumes.map((volume) => `${volume.name}${volume.sizeBytes !== undefined ? ` (${humanBytes(volume.sizeBytes)})` : ''}`).join(', ')}`
        : '  Cached data to delete: none of the stack\'s cache volumes exist',
    );
    if (plan.dataVolumes.length > 0) lines.push(`  Data volumes, never touched: ${plan.dataVolumes.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function resultText(result: LifecycleResult): string {
  const timing = result.downtimeSeconds !== undefined ? ` in ${result.durationSeconds} s (down for ${result.downtimeSeconds} s)` : ` in ${result.durationSeconds} s`;
  const degraded = degradedChecks(result.checks);
  const state = result.action === 'stop' ? '' : ` and ${upWord(degraded)}`;
  const lines = ['', `${color.green('✓')} ${color.bold(`${result.project} ${result.version}`)} ${DONE[result.action]}${state}${timing}.`, ...degradedLines(degraded), ''];
  if (result.services.length > 0) {
    lines.push(table(result.services.map((service) => [service.service, READY_STATES.includes(service.state) || result.action === 'stop' ? service.state : `${service.state} ✗`])), '');
  }
  if (result.clearedVolumes.length > 0) lines.push(`  Cached data deleted: ${result.clearedVolumes.join(', ')}`, '');
  if (result.action === 'stop') lines.push(`  Start it again with: openmates server start --path ${result.installDir}`);
  else lines.push(...result.urls.map((url) => `  ${url.name}: ${color.bold(url.url)}`));
  lines.push('', color.dim(`  Log: ${result.logFile}`), '');
  return lines.join('\n');
}
