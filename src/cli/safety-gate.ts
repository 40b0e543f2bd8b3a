import { OpenmatesError } from '../core/errors.js';
import { needsExplicitYes, type Disruption } from '../core/safety/disruption.js';
import { readSettingsFile } from '../core/settings.js';
import { askYesNo } from './ask.js';
import type { CliContext } from './context.js';
import { color } from './format.js';
import { writeJsonLine } from './render/json-lines.js';

/**
 * This machine's safety mode for the CLI. A settings file that cannot be read is an error naming
 * it (exit 11), as for `config get`: nothing goes ahead on a guess.
 */
export async function readSafetyMode(): Promise<boolean | undefined> {
  return (await readSettingsFile()).safetyMode;
}

export function disruptionText(disruption: Disruption): string {
  const lines = [
    color.bold(disruption.headline),
    `  Downtime: ${disruption.downtime}`,
    ...(disruption.services.length > 0 ? [`  Services: ${disruption.services.join(', ')}`] : []),
    ...disruption.consequences.map((line) => `  - ${line}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Safety mode's question before a restart or an update. Outside safety mode it returns at once.
 * In safety mode it shows what will happen; --yes answers it; at a terminal it asks (default no);
 * without one it fails with exit 9 naming --yes. Nothing has been changed when it throws.
 */
export async function confirmInSafetyMode(
  disruption: Disruption,
  options: { yes: boolean; json: boolean },
  context: Pick<CliContext, 'stdout' | 'stderr' | 'signal'>,
  safetyMode?: boolean,
): Promise<void> {
  const mode = safetyMode ?? (await readSafetyMode());
  if (!needsExplicitYes(mode)) return;
  if (options.json) writeJsonLine(context.stdout, { type: 'confirmation', safetyMode: true, ...disruption });
  else context.stderr.write(`${color.yellow('Safety mode is on (production server).')}\n${disruptionText(disruption)}`);
  if (options.yes) return;
  const verb = disruption.action === 'restart' ? 'Restart' : 'Update';
  if (!process.stdin.isTTY || options.json) {
    throw new OpenmatesError(
      'needs-answer',
      `${verb} of ${disruption.project} needs an explicit yes in safety mode, and there is no terminal to ask: nothing was changed.`,
      `Pass --yes to ${disruption.action} anyway (or turn safety mode off: openmates config set safety-mode off).`,
    );
  }
  const yes = await askYesNo({ text: `${verb} ${disruption.project} now?`, flag: '--yes', defaultYes: false }, context.signal);
  if (!yes) throw new OpenmatesError('interrupted', `${verb} cancelled; nothing was changed.`);
}
