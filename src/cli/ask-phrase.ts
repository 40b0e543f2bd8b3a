import { createInterface } from 'node:readline/promises';
import { OpenmatesError } from '../core/errors.js';
import type { DestructivePlan } from '../core/safety/types.js';
import { askYesNo } from './ask.js';

/**
 * Asks a person at a terminal to type the confirmation phrase and returns exactly what they typed
 * (nothing trimmed: spaces count). Only call it with a terminal; scripts pass --confirm.
 */
export async function askPhrase(phrase: string, stream: NodeJS.WriteStream, signal?: AbortSignal): Promise<string> {
  const readline = createInterface({ input: process.stdin, output: stream });
  try {
    return await readline.question(`Type  ${phrase}  to confirm (anything else cancels): `, { signal });
  } catch (error) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped at the confirmation; nothing was deleted.');
    throw error;
  } finally {
    readline.close();
  }
}

/** True when a person can be asked: a terminal on both ends, and not --json. */
export function canAsk(json: boolean): boolean {
  return !json && process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** The backup offer at a terminal: yes by default, so Enter makes one. */
export function askBackup(plan: DestructivePlan, signal?: AbortSignal): Promise<boolean> {
  return askYesNo({ text: `Make a backup of ${plan.project} first${plan.backup.last ? '' : ' (there is none yet)'}?`, flag: '--backup', defaultYes: true }, signal);
}
