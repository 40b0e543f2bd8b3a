import { createInterface } from 'node:readline/promises';
import { OpenmatesError } from '../core/errors.js';

export interface Question {
  text: string;
  /** The flag that answers it without asking, named in the error when there is no terminal. */
  flag: string;
  defaultYes: boolean;
}

/**
 * A yes/no question on the terminal. Without one, nothing waits: a missing answer is an error
 * naming the flag that gives it.
 */
export async function askYesNo(question: Question, signal?: AbortSignal): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new OpenmatesError('needs-answer', `${question.text.replace(/\?$/, '')}: this needs an answer and there is no terminal to ask.`, `Pass ${question.flag} to answer yes.`);
  }
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await readline.question(`${question.text} ${question.defaultYes ? '[Y/n]' : '[y/N]'} `, { signal })).trim().toLowerCase();
    return answer === '' ? question.defaultYes : answer === 'y' || answer === 'yes';
  } catch (error) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped at the question; nothing was changed.');
    throw error;
  } finally {
    readline.close();
  }
}
