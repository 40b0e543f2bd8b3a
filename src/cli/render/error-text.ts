import { isOpenmatesError, messageOf } from '../../core/errors.js';
import { color } from '../format.js';

/** An error as a human reads it: the sentence, what to do, then the details. */
export function errorText(error: unknown): string {
  if (!isOpenmatesError(error)) return `${color.red('✗')} Unexpected error: ${messageOf(error)}\n  This is a bug in openmates; please report it with the lines above.\n`;
  const lines = [`${color.red('✗')} ${error.message}`];
  if (error.hint) lines.push(`  ${color.yellow('→')} ${error.hint}`);
  for (const detail of error.details) lines.push(`  ${color.dim(detail)}`);
  return `${lines.join('\n')}\n`;
}
