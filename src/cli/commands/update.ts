import { createOperations } from '../../core/create-operations.js';
import { OpenmatesError } from '../../core/errors.js';
import { recoveryChoices } from '../../core/update/recovery.js';
import type { UpdatePlan } from '../../core/update/types.js';
import { askYesNo } from '../ask.js';
import { needsExplicitYes, updateDisruption } from '../../core/safety/disruption.js';
import { confirmInSafetyMode, readSafetyMode } from '../safety-gate.js';
import { installDirOf, type CliContext } from '../context.js';
import { humanProgressSink } from '../render/human-progress.js';
import { jsonEventSink, writeJsonLine } from '../render/json-lines.js';
import type { UpdateCommandOptions } from './update.command.js';
import { cliNoticeText, interruptedLine, planText, resultText } from './update-text.js';

export async function updateCommand(options: UpdateCommandOptions, context: CliContext): Promise<number> {
  const operations = createOperations(await context.deps());
  const sink = options.json ? jsonEventSink(context.stdout) : humanProgressSink(context.stderr);
  const installDir = installDirOf(options);
  const plan = await operations.planUpdate(
    { installDir, ...(options.to !== undefined ? { to: options.to } : {}), ...(options.timeout !== undefined ? { healthTimeout: options.timeout } : {}) },
    sink,
    context.signal,
  );

  if (options.check) {
    // The registry's answer is in the cache now: this asks only npm, and quietly.
    const { cli } = await operations.checkForUpdates({ installDir, cliVersion: context.cliVersion }, context.signal);
    if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...checkSummary(plan), ...(cli ? { cli } : {}) });
    else context.stdout.write(planText(plan) + cliNoticeText(cli) + nextStepText(plan));
    return 0;
  }

  if (!options.json) context.stderr.write(planText(plan));
  if (plan.upToDate && !plan.interrupted) {
    if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, outcome: 'up-to-date', project: plan.project, version: plan.current });
    return 0;
  }
  // In safety mode its own question (default no) replaces the ordinary one (default yes).
  const safetyMode = plan.interrupted ? false : await readSafetyMode();
  if (needsExplicitYes(safetyMode)) await confirmInSafetyMode(updateDisruption(plan), options, context, safetyMode);
  const chosen = options.yes || needsExplicitYes(safetyMode) ? plan : await confirm(plan, context.signal);
  const result = await operations.update(chosen, sink, context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...result });
  else context.stdout.write(resultText(result));
  return 0;
}

/** Asks on the terminal (or fails naming --yes without one). An interrupted update offers finish, then roll back. */
async function confirm(plan: UpdatePlan, signal: AbortSignal): Promise<UpdatePlan> {
  if (!plan.interrupted) {
    const yes = await askYesNo({ text: `Update ${plan.project} from ${plan.current} to ${plan.target}? (a backup is taken first)`, flag: '--yes', defaultYes: true }, signal);
    if (!yes) throw new OpenmatesError('interrupted', 'Update cancelled; nothing was changed.');
    return plan;
  }
  const choices = recoveryChoices(plan.interrupted);
  if (choices.includes('finish') && (await askYesNo({ text: `${interruptedLine(plan.interrupted)} Finish it (go on to ${plan.target})?`, flag: '--yes', defaultYes: true }, signal))) {
    return { ...plan, resume: 'finish' };
  }
  if (await askYesNo({ text: `Roll back to ${plan.current}${plan.interrupted.newVersionStarted ? ', restoring the data from the pre-update backup' : ''}?`, flag: '--yes', defaultYes: true }, signal)) {
    return { ...plan, resume: 'roll-back' };
  }
  throw new OpenmatesError('interrupted', 'Nothing was done; the interrupted update is still waiting.', 'Run `openmates server update` again to finish it or roll it back.');
}

function nextStepText(plan: UpdatePlan): string {
  if (plan.interrupted) return 'Run `openmates server update` to finish it or roll it back (`--yes` finishes it).\n';
  return plan.upToDate ? '' : `Run \`openmates server update${plan.latest && plan.target !== plan.latest ? ` --to ${plan.target}` : ''}\` to update.\n`;
}

/** What --check --json reports: the plan without the compose files' text. */
function checkSummary(plan: UpdatePlan) {
  return {
    check: true,
    project: plan.project,
    current: plan.current,
    target: plan.target,
    latest: plan.latest ?? null,
    targetCommit: plan.targetCommit ?? null,
    channel: plan.channel,
    updateAvailable: !plan.upToDate && !plan.interrupted,
    upToDate: plan.upToDate,
    images: plan.images,
    imagesToPull: plan.imagesToPull,
    backup: plan.backup,
    disk: plan.disk,
    healthTimeout: plan.healthTimeout,
    interrupted: plan.interrupted ? { from: plan.interrupted.from, to: plan.interrupted.to, phase: plan.interrupted.phase, startedAt: plan.interrupted.startedAt } : null,
    resume: plan.interrupted ? plan.resume : null,
    warnings: plan.warnings,
  };
}
