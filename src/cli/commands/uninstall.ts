import { createOperations } from '../../core/create-operations.js';
import { OpenmatesError } from '../../core/errors.js';
import { requireConfirmation } from '../../core/safety/confirmation-phrase.js';
import { askYesNo } from '../ask.js';
import { askBackup, askPhrase, canAsk } from '../ask-phrase.js';
import { installDirOf, type CliContext } from '../context.js';
import { deletionResultText, destructivePlanText } from '../render/destructive-plan.js';
import { humanProgressSink } from '../render/human-progress.js';
import { jsonEventSink, writeJsonLine } from '../render/json-lines.js';
import type { UninstallCommandOptions } from './uninstall.command.js';

export async function uninstallCommand(options: UninstallCommandOptions, context: CliContext): Promise<number> {
  const operations = createOperations(await context.deps());
  const plan = await operations.planUninstall({ installDir: installDirOf(options), deleteData: options.deleteData });
  if (options.json) writeJsonLine(context.stdout, { type: 'plan', ...plan });
  else context.stderr.write(destructivePlanText(plan));

  let confirmation: string | undefined;
  let backupFirst = false;
  if (plan.requiresPhrase) {
    const interactive = canAsk(options.json);
    if (options.confirm !== undefined || !interactive) requireConfirmation(options.confirm, plan.phrase, 'the uninstall with --delete-data');
    backupFirst = options.backup || (interactive && plan.backup.supported && (options.yes || (await askBackup(plan, context.signal))));
    confirmation = options.confirm ?? (await askPhrase(plan.phrase, context.stderr, context.signal));
  } else {
    backupFirst = options.backup;
  }
  if (!plan.requiresPhrase && plan.steps.length > 0 && !options.yes) {
    // Nothing of value is deleted, but the server stops serving: that still takes a yes.
    if (!(await askYesNo({ text: `Uninstall ${plan.project} (the data and secrets stay)?`, flag: '--yes', defaultYes: false }, context.signal))) {
      throw new OpenmatesError('interrupted', 'Uninstall cancelled; nothing was changed.');
    }
  }

  const sink = options.json ? jsonEventSink(context.stdout) : humanProgressSink(context.stderr);
  const result = await operations.uninstall(plan, { ...(confirmation === undefined ? {} : { confirmation }), backupFirst }, sink, context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...result });
  else context.stdout.write(deletionResultText(result));
  return 0;
}
