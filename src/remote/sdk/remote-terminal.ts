import { eitherSignal } from '../../core/either-signal.js';
import { concatBytes } from '../concat-bytes.js';
import { decodeTerminalChunk } from '../protocol/terminal-chunk.js';
import { terminalEventSchema, type OpArgs, type OpName, type OpResult, type TerminalExitWire, type TerminalInfoWire, type TerminalSignalName } from '../protocol/ops.js';
import type { CallOptions } from '../rpc/client.js';
import { RemoteError } from '../rpc/remote-error.js';
import type { Connection } from './connection-state.js';

/** What a terminal's output stream yields: bytes from offset `seq`, a resize, or bytes no longer kept (the screen may need a redraw). */
export type TerminalStreamItem =
  | { type: 'output'; seq: number; bytes: Uint8Array; end: number }
  | { type: 'size'; cols: number; rows: number }
  | { type: 'missed'; bytes: number };

export interface TerminalOutputOptions {
  /** The offset to start from: what this device has already (0: the kept scrollback first). */
  after?: number;
  /** Stops reading (the session goes on; attach again later). */
  signal?: AbortSignal;
}

/** One shell on the server. Only the device that opened it may write, resize, signal or close it. */
export interface RemoteTerminal {
  readonly id: string;
  /** As it was when opened or found. */
  readonly info: TerminalInfoWire;
  /**
   * The output from `after` on, until the shell exits (then iteration ends and `exited` resolves).
   * A connection that drops and comes back (`connect(link, {reconnect: true})`) is attached again
   * from the last byte received: nothing is missed twice, nothing twice.
   */
  output(options?: TerminalOutputOptions): AsyncIterable<TerminalStreamItem>;
  /** The offset after the last byte `output` yielded. */
  readonly received: number;
  /** How the shell ended, once an output iteration saw it end. */
  readonly exited: Promise<TerminalExitWire>;
  write(data: string): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  signal(signal: TerminalSignalName): Promise<void>;
  /** The kept scrollback (the newest `maxBytes`). */
  history(options?: { maxBytes?: number }): Promise<{ seq: number; bytes: Uint8Array }>;
  /** Hangs the shell up; answers the terminal as it ended. */
  close(): Promise<TerminalInfoWire>;
}

type Call = <O extends OpName>(op: O, args: OpArgs<O>, options?: CallOptions) => Promise<OpResult<O>>;

export function remoteTerminal(call: Call, connection: Connection, info: TerminalInfoWire): RemoteTerminal {
  const id = info.id;
  let received = 0;
  let settleExit!: (exit: TerminalExitWire) => void;
  const exited = new Promise<TerminalExitWire>((resolve) => (settleExit = resolve));
  return {
    id,
    info,
    get received() {
      return received;
    },
    exited,
    output: (options = {}) => {
      received = options.after ?? received;
      return attachLoop(call, connection, id, options.signal, {
        from: () => received,
        got: (end) => (received = end),
        exit: settleExit,
      });
    },
    write: async (data) => void (await call('terminal.write', { id, data })),
    resize: async (cols, rows) => void (await call('terminal.resize', { id, cols, rows })),
    signal: async (signal) => void (await call('terminal.signal', { id, signal })),
    history: async (options = {}) => {
      const parts: Uint8Array[] = [];
      const result = await call('terminal.history', { id, ...options }, { onChunk: (bytes) => void parts.push(bytes.slice()) });
      return { seq: result.seq, bytes: concatBytes(parts) };
    },
    close: () => call('terminal.close', { id }),
  };
}

interface Cursor {
  from(): number;
  got(end: number): void;
  exit(exit: TerminalExitWire): void;
}

/** terminal.attach, again from the last byte received whenever the connection drops and comes back. */
async function* attachLoop(call: Call, connection: Connection, id: string, signal: AbortSignal | undefined, cursor: Cursor): AsyncGenerator<TerminalStreamItem> {
  for (;;) {
    const items: TerminalStreamItem[] = [];
    let wake: (() => void) | undefined;
    let ended: { exit: TerminalExitWire } | { error: RemoteError } | undefined;
    const push = (item: TerminalStreamItem) => {
      items.push(item);
      wake?.();
    };
    // Each chunk waits until the one before was taken: the reader's pace is the credit window's.
    let taken: (() => void) | undefined;
    // Also cancelled when the caller stops iterating: the agent must not wait on credit nobody gives.
    const stop = new AbortController();
    const { signal: callSignal, dispose } = eitherSignal(stop.signal, signal);
    call('terminal.attach', { id, after: cursor.from() }, {
      signal: callSignal,
      onEvent: (event) => {
        const parsed = terminalEventSchema.safeParse(event);
        if (!parsed.success) return;
        if (parsed.data.type === 'start') {
          if (parsed.data.missed > 0) push({ type: 'missed', bytes: parsed.data.missed });
        } else push(parsed.data);
      },
      onChunk: (chunk) => {
        const { end, bytes } = decodeTerminalChunk(chunk);
        push({ type: 'output', seq: end - bytes.byteLength, bytes: bytes.slice(), end });
        return new Promise<void>((resolve) => (taken = resolve));
      },
    }).then(
      (result) => {
        ended = { exit: result.exit };
        wake?.();
      },
      (error: unknown) => {
        ended = { error: RemoteError.from(error) };
        wake?.();
      },
    );
    try {
      for (;;) {
        const item = items.shift();
        if (item) {
          if (item.type === 'output') cursor.got(item.end);
          yield item;
          if (item.type === 'output' && items.length === 0) {
            const release = taken;
            taken = undefined;
            release?.();
          }
          continue;
        }
        const release = taken;
        taken = undefined;
        release?.();
        if (ended) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      if (!ended) stop.abort();
      dispose();
    }
    if (ended && 'exit' in ended) {
      cursor.exit(ended.exit);
      return;
    }
    const error = (ended as { error: RemoteError }).error;
    if (signal?.aborted) return;
    if (error.code !== 'disconnected' || !(await reconnected(connection))) throw error;
    // The drop may reach the call before the connection says it is reconnecting.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits while the connection is being opened again: true once it is back, false when it closed for good. */
function reconnected(connection: Connection): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      const state = connection.state.state;
      if (state === 'reconnecting') return false;
      stop();
      resolve(state === 'connected');
      return true;
    };
    const stop = connection.onChange(() => void check());
    check();
  });
}
