import { RemoteError, type Connection, type ConnectionState, type RemoteTerminal, type TerminalExit } from '../../remote/sdk/index.js';
import { KeystrokeSender } from './keystroke-sender.js';
import type { OffsetFile } from './offset-file.js';
import { enterRawMode } from './raw-terminal.js';
import { watchSize } from './size-watch.js';

/** Ctrl-]: leaves the session running on the server (as telnet's escape). */
export const DETACH_KEY = 0x1d;
const CTRL_C = 0x03;

export type SessionEnd =
  | { how: 'exited'; exit: TerminalExit }
  /** The user pressed the detach key, or this process was told to stop: the shell goes on. */
  | { how: 'detached'; why: 'key' | 'SIGTERM' | 'SIGHUP' };

export interface ShellSessionOptions {
  terminal: RemoteTerminal;
  connection: Connection;
  /** This device opened it: keys and size go to it. Otherwise it is watched read-only. */
  canType: boolean;
  /** The offset to read from (what this machine has already shown). */
  after: number;
  offsets: OffsetFile;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on SIGTERM (main's signal handling). */
  signal: AbortSignal;
}

/**
 * The terminal on this screen: raw mode, keys out (coalesced, in order), bytes in as they are,
 * the local size on every change, until the shell exits or the user detaches. The local terminal
 * is restored on every way out.
 */
export async function runShellSession(options: ShellSessionOptions): Promise<SessionEnd> {
  const { terminal, stdin, stdout, stderr } = options;
  const raw = enterRawMode(stdin, stdout);
  const stop = new AbortController();
  let detached: 'key' | 'SIGTERM' | 'SIGHUP' | undefined;
  let failure: unknown;
  let outputEnded = false;
  const detach = (why: 'key' | 'SIGTERM' | 'SIGHUP') => {
    detached ??= why;
    stop.abort();
  };
  // A line of our own on a screen in raw mode: on a line of its own, with \r so it starts at the left.
  const note = (text: string) => stderr.write(`\r\n[${text}]\r\n`);
  let lostKeys = false;
  // A key or resize refused outright (not just lost with the connection) ends the session, unless the
  // shell was exiting at that moment (its last keys race its end).
  const sendFailed = (error: unknown) => {
    if (RemoteError.from(error).code === 'disconnected') {
      if (!lostKeys) note('keys typed while the connection was down were not sent');
      lostKeys = true;
      return;
    }
    setTimeout(() => {
      if (outputEnded || stop.signal.aborted) return;
      failure ??= error;
      stop.abort();
    }, 500).unref();
  };
  const sender = options.canType ? new KeystrokeSender((data) => terminal.write(data), sendFailed) : undefined;
  const onKeys = (bytes: Buffer) => {
    // A watcher's keys go nowhere, so Ctrl-C also leaves; the owner's Ctrl-C is the remote program's.
    const at = options.canType ? bytes.indexOf(DETACH_KEY) : firstOf(bytes, DETACH_KEY, CTRL_C);
    if (at < 0) return sender?.push(bytes);
    if (at > 0) sender?.push(bytes.subarray(0, at));
    detach('key');
  };
  stdin.on('data', onKeys);
  const size = options.canType ? watchSize(stdout, ({ cols, rows }) => terminal.resize(cols, rows), sendFailed) : undefined;
  let lastState = options.connection.state.state;
  const stopWatchingConnection = options.connection.onChange((state) => {
    // Said once per change: every retry of a reconnect is not news.
    if (state.state !== lastState) note(connectionText(state));
    lastState = state.state;
    if (state.state === 'connected') {
      lostKeys = false;
      size?.resend();
    }
  });
  const onHangup = () => detach('SIGHUP');
  process.on('SIGHUP', onHangup);
  const onTerminate = () => detach('SIGTERM');
  options.signal.addEventListener('abort', onTerminate, { once: true });
  try {
    for await (const item of terminal.output({ after: options.after, signal: stop.signal })) {
      if (item.type === 'output') {
        raw.sawOutput(item.bytes);
        if (!stdout.write(item.bytes)) await drained(stdout, stop.signal);
        options.offsets.update(item.end);
      } else if (item.type === 'missed') {
        note(`${item.bytes} bytes of output were no longer kept on the server; the screen may be incomplete`);
      }
    }
    outputEnded = true;
    if (detached) await Promise.race([sender?.flushed(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  } catch (error) {
    failure ??= error;
  } finally {
    stdin.off('data', onKeys);
    size?.stop();
    stopWatchingConnection();
    process.off('SIGHUP', onHangup);
    options.signal.removeEventListener('abort', onTerminate);
    raw.restore();
    options.offsets.close();
  }
  if (failure !== undefined) throw failure;
  if (detached) return { how: 'detached', why: detached };
  return { how: 'exited', exit: await terminal.exited };
}

function firstOf(bytes: Buffer, ...wanted: number[]): number {
  const found = wanted.map((byte) => bytes.indexOf(byte)).filter((index) => index >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

function drained(stdout: NodeJS.WriteStream, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stdout.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    stdout.on('drain', done);
    signal.addEventListener('abort', done);
  });
}

function connectionText(state: ConnectionState): string {
  switch (state.state) {
    case 'connected':
      return 'reconnected: the session continues where it was';
    case 'reconnecting':
      return `connection lost (${state.reason}): reconnecting…`;
    case 'closed':
      return `connection closed${state.error ? `: ${state.error.message}` : ''}`;
  }
}
