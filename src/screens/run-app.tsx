import { render, type Instance } from 'ink';
import { hostname } from 'node:os';
import { isOpenmatesError, messageOf, OpenmatesError } from '../core/errors.js';
import type { Operations } from '../core/operations.js';
import { App, EXIT_INTERRUPTED } from './App.js';
import { interruptibleOperations } from './interruptible-operations.js';
import { alternateScreen } from './terminal-screen.js';
import { controlSocketApprovals, type ApprovalsSource } from '../remote/agent/control-approvals.js';
import { stateDirDevices, type DevicesSource } from './remote/devices-source.js';

export interface FullScreenAppProps {
  operations: Operations;
  installDir: string;
  stackFile?: string;
  /** --tag: the version the Install screen installs (default: the newest release). */
  tag?: string;
  cliVersion: string;
  /** Default: the remote-access agent of this user, over its control socket. */
  approvals?: ApprovalsSource;
  /** Default: the remote-access devices of this user (through the running agent, or its state files). */
  devices?: DevicesSource;
}

type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where the app draws, reads keys, and hears signals and crashes. `process` and its streams outside tests. */
export interface AppTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  events: { on(event: string, listener: Listener): unknown; off(event: string, listener: Listener): unknown };
  hostName: string;
  /** How long Ctrl-C waits for a running operation to stop before the app leaves anyway. */
  settleMs: number;
  /** Route stray console output through Ink so it cannot tear the screen (off in tests: vitest owns console). */
  patchConsole: boolean;
}

const EXIT_CRASHED = 1;
/** 128 + the signal's number, as shells report them. */
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = { SIGINT: EXIT_INTERRUPTED, SIGTERM: 143, SIGHUP: 129 };

function processTerminal(): AppTerminal {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, events: process, hostName: hostname(), settleMs: 3000, patchConsole: true };
}

/**
 * Runs the full-screen app until the user quits, and resolves with the exit code. The alternate
 * screen is restored on every way out: quit (0), Ctrl-C or SIGINT (130), SIGTERM (143), SIGHUP (129),
 * a crash (1, the error printed after the screen is back). Ctrl-C aborts the running operation and
 * gives it `settleMs` to settle; a second Ctrl-C leaves at once.
 */
export function runFullScreenApp(props: FullScreenAppProps, terminal: Partial<AppTerminal> = {}): Promise<number> {
  const io: AppTerminal = { ...processTerminal(), ...terminal };
  const screen = alternateScreen(io.stdout);
  const appAbort = new AbortController();
  const operations = interruptibleOperations(props.operations, appAbort.signal);
  const approvals = props.approvals ?? controlSocketApprovals();
  const devices = props.devices ?? stateDirDevices();

  return new Promise<number>((resolve) => {
    let instance: Instance | undefined;
    let stopping = false;
    let finished = false;

    const app = (isStopping: boolean) => (
      <App
        operations={operations}
        installDir={props.installDir}
        {...(props.stackFile === undefined ? {} : { stackFile: props.stackFile })}
        {...(props.tag === undefined ? {} : { tag: props.tag })}
        cliVersion={props.cliVersion}
        hostName={io.hostName}
        onInterrupt={() => stop(EXIT_INTERRUPTED)}
        stopping={isStopping}
        approvals={approvals}
        devices={devices}
      />
    );

    const finish = (code: number, crash?: unknown) => {
      if (finished) return;
      finished = true;
      for (const [event, listener] of listeners) io.events.off(event, listener);
      if (!appAbort.signal.aborted) appAbort.abort(new OpenmatesError('interrupted', 'The app was closed.'));
      try {
        instance?.unmount();
      } catch {
        // a broken tree still has to give the screen back
      }
      screen.restore();
      if (crash !== undefined) io.stderr.write(crashText(crash));
      resolve(code);
    };

    const stop = (code: number) => {
      if (finished) return;
      if (stopping) return finish(code);
      stopping = true;
      instance?.rerender(app(true));
      appAbort.abort(new OpenmatesError('interrupted', 'Interrupted.'));
      void operations.settled(io.settleMs).then(() => finish(code));
    };

    const listeners: [string, Listener][] = [
      ['SIGINT', () => stop(SIGNAL_EXIT.SIGINT)],
      ['SIGTERM', () => stop(SIGNAL_EXIT.SIGTERM)],
      ['SIGHUP', () => stop(SIGNAL_EXIT.SIGHUP)],
      ['uncaughtException', (error: unknown) => finish(EXIT_CRASHED, error)],
      ['unhandledRejection', (reason: unknown) => finish(EXIT_CRASHED, reason)],
      ['exit', () => screen.restore()],
    ];

    screen.enter();
    for (const [event, listener] of listeners) io.events.on(event, listener);
    try {
      instance = render(app(false), { stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, exitOnCtrlC: false, patchConsole: io.patchConsole });
    } catch (error) {
      finish(EXIT_CRASHED, error);
      return;
    }
    instance.waitUntilExit().then(
      (value) => finish(typeof value === 'number' ? value : 0),
      (error: unknown) => finish(EXIT_CRASHED, error),
    );
  });
}

function crashText(error: unknown): string {
  if (isOpenmatesError(error)) return `✗ ${error.message}\n${error.hint ? `  → ${error.hint}\n` : ''}`;
  const stack = error instanceof Error && error.stack ? `${error.stack}\n` : '';
  return `✗ Unexpected error: ${messageOf(error)}\n${stack}  This is a bug in openmates; please report it with the lines above.\n`;
}
