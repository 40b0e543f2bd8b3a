import { planReset } from '../../core/safety/plan-reset.js';
import { requireConfirmation } from '../../core/safety/confirmation-phrase.js';
import { askYesNo } from '../ask.js';
import { askBackup, askPhrase, canAsk } from '../ask-phrase.js';
import type { InstallResult } from '../../core/install/types.js';
import { installDirOf, type CliContext } from '../context.js';
import { color } from '../format.js';
import { destructivePlanText, deletionResultText } from '../render/destructive-plan.js';
import { humanProgressSink } from '../render/human-progress.js';
import { jsonEventSink, writeJsonLine } from '../render/json-lines.js';
import type { ResetCommandOptions } from './reset.command.js';

export async function resetCommand(options: ResetCommandOptions, context: CliContext): Promise<number> {
  // The checklist needs only the plan: what deletes (and backs up, and starts fresh) loads once the phrase is in.
  const deps = await context.deps();
  const plan = await planReset({ installDir: installDirOf(options), configs: options.configs }, deps);
  if (options.json) writeJsonLine(context.stdout, { type: 'plan', ...plan });
  else context.stderr.write(destructivePlanText(plan));

  const interactive = canAsk(options.json);
  // A phrase given as a flag is checked before anything else happens (a backup included).
  if (options.confirm !== undefined || !interactive) requireConfirmation(options.confirm, plan.phrase, 'the reset');
  let startFresh = options.start;
  if (interactive && plan.canStartFresh && !options.start) {
    startFresh = options.yes || (await askYesNo({ text: `Start ${plan.project} fresh (empty) once its data is deleted?`, flag: '--start', defaultYes: true }, context.signal));
  }
  const backupFirst = options.backup || (interactive && plan.backup.supported && (options.yes || (await askBackup(plan, context.signal))));
  const confirmation = options.confirm ?? (await askPhrase(plan.phrase, context.stderr, context.signal));

  const sink = options.json ? jsonEventSink(context.stdout) : humanProgressSink(context.stderr);
  const { runReset } = await import('../../core/safety/reset.js');
  const result = await runReset(plan, { confirmation, startFresh, backupFirst }, deps, sink, context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...result });
  else context.stdout.write(deletionResultText(result) + (result.freshInstall ? freshStartText(result.freshInstall) : ''));
  return 0;
}

function freshStartText(install: InstallResult): string {
  const lines = [`${color.green('✓')} Started fresh: ${install.services.length} services ready.`, ...install.urls.map((url) => `  ${url.name}: ${color.bold(url.url)}`)];
  if (install.shownSecret) lines.push(`  First invite code: ${color.bold(install.shownSecret.value)}  ${color.dim('(the first account signs up with it)')}`);
  return `${lines.join('\n')}\n\n`;
}
