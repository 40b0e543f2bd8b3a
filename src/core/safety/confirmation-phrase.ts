import { OpenmatesError } from '../errors.js';

/** The destructive actions; each one's phrase starts with its own verb. */
export type DestructiveAction = 'reset' | 'uninstall' | 'restore';

/**
 * The phrase a user types to let a destructive action go on: `<verb> <stack name> on <host>`. The
 * instance and the machine are in it, so a phrase copied from another server or for another
 * instance (or another action) does not match.
 */
export function confirmationPhrase(action: DestructiveAction, stackName: string, hostName: string): string {
  return `${action} ${stackName} on ${hostName}`;
}

/** Exact match only: case, spaces (leading, trailing, doubled) and the host all count. */
export function phraseMatches(typed: string | undefined, expected: string): boolean {
  return typed !== undefined && typed === expected;
}

/**
 * Throws OpenmatesError('confirmation-required') unless `given` is exactly `expected`. The message
 * prints the phrase that would be needed, so a person can act on it; nothing has been deleted.
 */
export function requireConfirmation(given: string | undefined, expected: string, what: string): void {
  if (phraseMatches(given, expected)) return;
  const flag = `--confirm "${expected}"`;
  if (given === undefined) {
    throw new OpenmatesError(
      'confirmation-required',
      `${capitalize(what)} deletes data, and needs the confirmation phrase: nothing was deleted.`,
      `To go on, pass ${flag} (exactly this phrase; --yes never deletes data).`,
    );
  }
  throw new OpenmatesError(
    'confirmation-required',
    `The confirmation phrase does not match, so ${what} did not run: nothing was deleted.`,
    `The phrase for this instance on this server is: ${expected} (pass it as ${flag}; case and spaces count).`,
    [`given: ${JSON.stringify(given)}`],
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
