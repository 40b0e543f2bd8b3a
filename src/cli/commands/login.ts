import { createLoginOperations } from '../../core/login/create-login-operations.js';
import { isLoginFailure } from '../../core/login/login-error.js';
import type { LoggedInAccount, LoginOperations, PairCode } from '../../core/login/types.js';
import { OpenmatesError } from '../../core/errors.js';
import { installDirOf, type CliContext } from '../context.js';
import { humanLoginRenderer, jsonLoginRenderer, type LoginRenderer } from '../login/login-progress.js';
import { pinSourceFor, type PinSource } from '../login/pin-source.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { LoginCommandOptions } from './login.command.js';
import { accountText } from './whoami.js';

/**
 * `openmates login`: a code, its link as a QR code, approval on the other device, the PIN, the
 * session. On a terminal an expired code can be replaced with one key; in scripts it ends with 15.
 */
export async function loginCommand(options: LoginCommandOptions, context: CliContext): Promise<number> {
  const pins = pinSourceFor(options, process.stdin, context.stderr);
  const renderer = options.json ? jsonLoginRenderer(context.stdout) : humanLoginRenderer(context.stderr);
  const operations = createLoginOperations();
  const target = { installDir: installDirOf(options), ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}), ...(options.appUrl ? { appUrl: options.appUrl } : {}) };
  try {
    for (;;) {
      const code = await operations.loginStart(target, renderer.sink, context.signal);
      try {
        const account = await approveAndLogIn(operations, code, pins, renderer, context.signal);
        if (options.json) writeJsonLine(context.stdout, { type: 'result', loggedIn: true, ...account });
        else context.stdout.write(accountText(account));
        return 0;
      } catch (error) {
        renderer.pause();
        if (isLoginFailure(error, 'expired') && pins.interactive) {
          context.stderr.write(`${error.message}\n`);
          if (await pins.offerFreshCode(context.signal)) continue;
        }
        throw error;
      }
    }
  } finally {
    renderer.pause();
    pins.close();
  }
}

async function approveAndLogIn(operations: LoginOperations, code: PairCode, pins: PinSource, renderer: LoginRenderer, signal: AbortSignal): Promise<LoggedInAccount> {
  const { device } = await operations.loginWaitForApproval(code, renderer.sink, signal);
  renderer.pause();
  let attemptsLeft: number | undefined;
  for (;;) {
    const pin = await pins.next({ device, ...(attemptsLeft === undefined ? {} : { attemptsLeft }) }, signal);
    if (pin === undefined) {
      throw new OpenmatesError(
        'needs-answer',
        attemptsLeft === undefined ? 'stdin ended before a PIN arrived.' : `The PIN was wrong and stdin has no other (${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left).`,
        `Write the PIN ${device} shows to stdin, then a newline (with --pin-stdin).`,
      );
    }
    const outcome = await operations.loginSubmitPin(code, pin, renderer.sink, signal);
    if (outcome.status === 'logged-in') return outcome.account;
    attemptsLeft = outcome.attemptsLeft;
  }
}
