import { hostname } from 'node:os';
import { OpenmatesError } from './errors.js';

/** The phrase that confirms a restore: it names what is overwritten and where. */
export function restorePhrase(stackName: string, host: string = hostname()): string {
  return `restore ${stackName} on ${host}`;
}

/**
 * Nothing that replaces or deletes data runs without the exact phrase. Throws
 * OpenmatesError('confirmation-required') naming the phrase when `given` is missing or differs.
 */
export function requireConfirmation(input: { expected: string; given: string | undefined; consequence: string; flag?: string }): void {
  if (input.given === input.expected) return;
  const flag = input.flag ?? '--confirm';
  throw new OpenmatesError(
    'confirmation-required',
    input.given === undefined
      ? `${input.consequence}, so it needs the confirmation phrase "${input.expected}"; nothing was changed.`
      : `The confirmation phrase does not match: expected exactly "${input.expected}"; nothing was changed.`,
    `Pass ${flag} "${input.expected}".`,
  );
}
