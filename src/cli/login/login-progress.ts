import { qrCodeLines } from '../../auth/qr-code.js';
import type { LoginEvent, LoginSink } from '../../core/login/types.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';

export interface LoginRenderer {
  sink: LoginSink;
  /** Ends any live line (countdown) so prompts and errors start on a clean line. */
  pause(): void;
}

/** m:ss */
export function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * --json: one object per event on stdout; the pair-code event also carries the QR code as text
 * lines, for a script that shows it elsewhere.
 */
export function jsonLoginRenderer(stdout: NodeJS.WritableStream): LoginRenderer {
  return {
    sink: (event) => writeJsonLine(stdout, event.type === 'pair-code' ? { ...event, qr: qrCodeLines(event.link) } : event),
    pause: () => {},
  };
}

/**
 * Human progress on stderr: the QR code and the steps, then, on a terminal, one line counting
 * down to the code's expiry while it waits for approval.
 */
export function humanLoginRenderer(stream: NodeJS.WriteStream, now: () => number = Date.now): LoginRenderer {
  const live = stream.isTTY === true;
  let timer: ReturnType<typeof setInterval> | undefined;
  /** Set while the countdown line is shown (terminals only). */
  let countingTo: number | undefined;
  let lineShown = false;
  const clearLine = () => {
    if (lineShown) stream.write('\r\x1b[2K');
    lineShown = false;
  };
  const drawLine = () => {
    if (countingTo === undefined) return;
    stream.write(`\r\x1b[2K${color.dim('…')} Waiting for approval · the code expires in ${countdown(countingTo - now())}`);
    lineShown = true;
  };
  /** A line above the countdown, which stays at the bottom. */
  const print = (line: string) => {
    clearLine();
    stream.write(`${line}\n`);
    drawLine();
  };
  const stopCountdown = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    countingTo = undefined;
    clearLine();
  };
  const startCountdown = (expiresAt: number) => {
    if (!live) return print(`Waiting for approval; the code expires in ${countdown(expiresAt - now())} (at ${new Date(expiresAt).toLocaleTimeString()}).`);
    countingTo = expiresAt;
    drawLine();
    timer = setInterval(drawLine, 1000);
    timer.unref?.();
  };

  const sink = (event: LoginEvent) => {
    switch (event.type) {
      case 'pair-code':
        print('');
        print(color.bold('Log in from another device'));
        print('');
        for (const line of qrCodeLines(event.link)) print(`  ${line}`);
        print('');
        print(`  1. On a phone or computer where you are logged in to OpenMates, scan the code or open`);
        print(`     ${color.bold(event.link)}`);
        print(`  2. Approve this server there.`);
        print(`  3. Type the PIN it shows here.`);
        print(`  Code ${color.bold(event.token)} · ${event.apiBase}`);
        print('');
        return startCountdown(Date.parse(event.expiresAt));
      case 'pair-approved':
        stopCountdown();
        return print(`${color.green('✓')} Approved on ${event.device}.`);
      case 'pin-rejected':
        return print(`${color.red('✗')} Wrong PIN: ${event.attemptsLeft} ${event.attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`);
      case 'rate-limited':
        return print(color.yellow(`! The server is rate-limiting requests to ${event.request}: ${event.reason}. Waiting ${event.waitSeconds} s${event.retryAfterGiven ? ' as it asks (Retry-After)' : ''} before trying again…`));
      case 'retrying':
        return print(color.yellow(`! ${event.message} Trying again (${event.attempt}/${event.maxAttempts})…`));
      case 'logging-in':
        return print('Logging in…');
    }
  };
  return { sink, pause: stopCountdown };
}
