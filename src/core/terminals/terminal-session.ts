import { OpenmatesError } from '../errors.js';
import { ByteRing } from './byte-ring.js';
import type { PtyProcess } from './load-pty.js';
import { foregroundGroup, signalGroup, signalName, signalProcess } from './process-group.js';
import type { TerminalExit, TerminalInfo, TerminalOutput, TerminalSignal } from './terminal-types.js';

export interface TerminalSessionOptions {
  id: string;
  shell: string;
  cwd: string;
  cols: number;
  rows: number;
  /** Scrollback kept for readers that attach later or come back. */
  ringBytes: number;
  /** Called when nobody has read for a while, and when the shell ended: the owner may forget the session. */
  onIdle(session: TerminalSession): void;
  onExit(session: TerminalSession, exit: TerminalExit): void;
}

/**
 * One shell in a PTY. Its output goes into a ring numbered by byte offset; readers attach at an
 * offset and pull from there. While an attached reader is more than half a ring behind, the PTY
 * is paused (the shell blocks on its writes), so a slow reader slows the shell instead of losing
 * bytes or growing memory. Nobody attached: the shell runs on and the ring keeps the newest bytes.
 */
export class TerminalSession {
  private readonly ring: ByteRing;
  private readonly readers = new Set<TerminalReader>();
  private readonly startedAt = new Date().toISOString();
  private cols: number;
  private rows: number;
  private paused = false;
  /** Output that arrived while the slowest reader had a full ring unread: written into the ring as it reads on. */
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private exitWatch: ReturnType<typeof setInterval> | undefined;
  /** The shell is gone: what the PTY still holds is read at once, never paused again. */
  private draining = false;
  private exitStatus: TerminalExit | undefined;
  private stopped: OpenmatesError | undefined;
  private readonly taps = new Taps();

  constructor(
    private readonly pty: PtyProcess,
    private readonly options: TerminalSessionOptions,
  ) {
    this.ring = new ByteRing(options.ringBytes);
    this.cols = options.cols;
    this.rows = options.rows;
    pty.onData((data: string | Buffer) => {
      this.pending.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      this.taps.call(this.taps.output, this.pending.at(-1)!);
      this.pendingBytes += this.pending.at(-1)!.byteLength;
      this.flushPending();
      this.updateFlow();
      this.wakeReaders();
    });
    pty.onExit(({ exitCode, signal }) => {
      this.stopExitWatch();
      const name = signalName(signal);
      this.exitStatus = name ? { exitCode: null, signal: name } : { exitCode };
      this.wakeReaders();
      options.onExit(this, this.exitStatus);
      this.taps.call(this.taps.end, this.exitStatus);
    });
  }

  /** Every byte the PTY produces, in order, as it arrives (before flow control holds it back for slow readers). A listener must not block. */
  onOutput(listener: (bytes: Buffer) => void): () => void {
    return this.taps.add(this.taps.output, listener);
  }

  /** Each resize, after the PTY took it. */
  onResize(listener: (cols: number, rows: number) => void): () => void {
    return this.taps.add(this.taps.resize, listener);
  }

  /** The shell ended (at once when it already has). */
  onEnd(listener: (exit: TerminalExit) => void): () => void {
    if (this.exitStatus) {
      listener(this.exitStatus);
      return () => undefined;
    }
    return this.taps.add(this.taps.end, listener);
  }

  get id(): string {
    return this.options.id;
  }

  /** The shell's process id (its process group's too). */
  get pid(): number {
    return this.pty.pid;
  }

  get exit(): TerminalExit | undefined {
    return this.exitStatus;
  }

  get readerCount(): number {
    return this.readers.size;
  }

  /** The offset of the oldest output byte still kept (a reader can attach from here on). */
  get keptFrom(): number {
    return this.ring.start;
  }

  /** True while a slow reader holds the shell's output back. */
  get isPaused(): boolean {
    return this.paused;
  }

  info(): TerminalInfo {
    return {
      id: this.id,
      shell: this.options.shell,
      cwd: this.options.cwd,
      cols: this.cols,
      rows: this.rows,
      startedAt: this.startedAt,
      attached: [...this.readers].map((reader) => reader.deviceName),
      outputBytes: this.ring.end,
      ...(this.exitStatus ? { exit: this.exitStatus } : {}),
    };
  }

  write(bytes: Uint8Array | string): void {
    this.assertRunning();
    // node-pty writes a Buffer as it is (its types say string only).
    this.pty.write((typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as string);
  }

  resize(cols: number, rows: number): void {
    this.assertRunning();
    this.pty.resize(cols, rows);
    this.cols = cols;
    this.rows = rows;
    this.taps.call(this.taps.resize, cols, rows);
  }

  /** Sends `signal` to the programs in the terminal's foreground (a shell's running job, or the shell itself). */
  signal(signal: TerminalSignal): void {
    this.assertRunning();
    const group = foregroundGroup(this.pty.pid);
    // A shell only just started may not lead its own group yet: then the shell itself.
    if (!signalGroup(group, `SIG${signal}`) && !signalGroup(this.pty.pid, `SIG${signal}`)) signalProcess(this.pty.pid, `SIG${signal}`);
  }

  /** Hangs up the shell (as closing a terminal window does); KILL if it is still there after `graceMs`. */
  close(graceMs = 2000): void {
    if (this.exitStatus) return;
    if (!signalGroup(this.pty.pid, 'SIGHUP')) signalProcess(this.pty.pid, 'SIGHUP');
    this.resumePty();
    const timer = setTimeout(() => {
      if (!this.exitStatus && !signalGroup(this.pty.pid, 'SIGKILL')) signalProcess(this.pty.pid, 'SIGKILL');
    }, graceMs);
    timer.unref();
  }

  /** Ends the session for a reason other than its shell (the agent stopping): readers hear `why`. */
  stop(why: OpenmatesError): void {
    this.stopped ??= why;
    this.close(500);
    this.wakeReaders();
  }

  /** A reader from offset `after` (the byte count its device already has); the kept bytes come first. */
  attach(deviceName: string, after = 0): TerminalReader {
    if (this.stopped) throw this.stopped;
    if (after > this.ring.end) {
      throw new OpenmatesError('usage', `An attach after byte ${after}, but terminal ${this.id} has written only ${this.ring.end}.`, 'attach with the byte count received so far (the last seq plus its length)');
    }
    if (after < this.ring.start) {
      throw new OpenmatesError(
        'disconnected',
        `Terminal ${this.id} no longer has bytes ${after} to ${this.ring.start - 1}: it keeps the newest ${this.ring.capacity} bytes, and ${this.ring.start - after} bytes after yours were overwritten while nobody read them.`,
        `attach from byte ${this.ring.start} (what it still has) to go on, and redraw the screen (e.g. Ctrl-L)`,
      );
    }
    const reader = new TerminalReader(this, deviceName, after);
    this.readers.add(reader);
    return reader;
  }

  /** Moves pending output into the ring as far as it fits without overwriting bytes an attached reader has not read. */
  private flushPending(): void {
    let oldestUnread = Infinity;
    for (const reader of this.readers) oldestUnread = Math.min(oldestUnread, reader.offset);
    while (this.pending.length > 0) {
      const room = oldestUnread === Infinity ? Infinity : oldestUnread + this.ring.capacity - this.ring.end;
      if (room <= 0) return;
      const piece = this.pending[0]!;
      if (piece.byteLength <= room) {
        this.pending.shift();
        this.ring.write(piece);
        this.pendingBytes -= piece.byteLength;
      } else {
        this.ring.write(piece.subarray(0, room));
        this.pending[0] = piece.subarray(room);
        this.pendingBytes -= room;
      }
    }
  }

  /** @internal used by TerminalReader */
  readFrom(reader: TerminalReader, maxBytes: number): TerminalOutput | TerminalExit | OpenmatesError | undefined {
    const read = this.ring.read(reader.offset, maxBytes);
    if ('missing' in read) return new OpenmatesError('disconnected', `The reader of terminal ${this.id} fell behind by more than the ring holds (${read.missing} bytes lost).`, 'attach again');
    if ('seq' in read && read.bytes.byteLength > 0) {
      reader.offset += read.bytes.byteLength;
      this.flushPending();
      this.updateFlow();
      return read;
    }
    if (this.stopped) return this.stopped;
    return this.pendingBytes === 0 ? this.exitStatus : undefined;
  }

  /** @internal used by TerminalReader */
  detach(reader: TerminalReader): void {
    if (!this.readers.delete(reader)) return;
    this.flushPending();
    this.updateFlow();
    if (this.readers.size === 0) this.options.onIdle(this);
  }

  private updateFlow(): void {
    let lag = 0;
    for (const reader of this.readers) lag = Math.max(lag, this.ring.end + this.pendingBytes - reader.offset);
    const high = Math.floor(this.ring.capacity / 2);
    if (!this.paused && lag >= high && !this.exitStatus && !this.draining) {
      this.paused = true;
      this.pty.pause();
      this.watchForExit();
    } else if (this.paused && lag <= high / 2) this.resumePty();
  }

  private resumePty(): void {
    if (!this.paused) return;
    this.paused = false;
    this.stopExitWatch();
    this.pty.resume();
  }

  /**
   * node-pty waits only 200 ms after the shell exits for its output to be read, then drops the
   * rest: while paused, look for the exit ourselves and drain the PTY (into `pending`: what the
   * kernel still holds, a few KiB) before that happens.
   */
  private watchForExit(): void {
    this.exitWatch ??= setInterval(() => {
      try {
        process.kill(this.pty.pid, 0);
      } catch {
        this.draining = true;
        this.resumePty();
      }
    }, 25);
    this.exitWatch.unref();
  }

  private stopExitWatch(): void {
    clearInterval(this.exitWatch);
    this.exitWatch = undefined;
  }

  private wakeReaders(): void {
    for (const reader of this.readers) reader.wake();
  }

  private assertRunning(): void {
    if (this.stopped) throw this.stopped;
    if (this.exitStatus) {
      const how = this.exitStatus.signal ? `was killed by ${this.exitStatus.signal}` : `exited with code ${this.exitStatus.exitCode}`;
      throw new OpenmatesError('usage', `Terminal ${this.id} has ended: its shell ${how}.`, 'open a new terminal');
    }
  }
}

/** Listeners of a session's output, resizes and end; one that throws is not allowed to break the session or the other listeners. */
class Taps {
  readonly output = new Set<(bytes: Buffer) => void>();
  readonly resize = new Set<(cols: number, rows: number) => void>();
  readonly end = new Set<(exit: TerminalExit) => void>();

  add<A extends unknown[]>(set: Set<(...args: A) => void>, listener: (...args: A) => void): () => void {
    set.add(listener);
    return () => set.delete(listener);
  }

  call<A extends unknown[]>(set: Set<(...args: A) => void>, ...args: A): void {
    for (const listener of set) {
      try {
        listener(...args);
      } catch {
        // a tap's failure is its own (the recorder reports its own errors)
      }
    }
  }
}

/** What a reader gets next: output, or the end (the shell's exit status). */
export type TerminalRead = { output: TerminalOutput } | { exit: TerminalExit };

/** One device's cursor in a terminal's output; pull with `next()`, let go with `close()`. */
export class TerminalReader {
  private waiting: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly session: TerminalSession,
    readonly deviceName: string,
    /** The offset of the next byte this reader gets. */
    public offset: number,
  ) {}

  /** The next output after `offset`, at most `maxBytes` (waits for some), or the exit once every byte was read. */
  async next(maxBytes = 64 * 1024): Promise<TerminalRead> {
    for (;;) {
      if (this.closed) throw new OpenmatesError('interrupted', `The reader of terminal ${this.session.id} was closed.`);
      const got = this.session.readFrom(this, maxBytes);
      if (got instanceof OpenmatesError) throw got;
      if (got && 'bytes' in got) return { output: got };
      if (got) return { exit: got };
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.session.detach(this);
    this.wake();
  }

  /** @internal */
  wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
