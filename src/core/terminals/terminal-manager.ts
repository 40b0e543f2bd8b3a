import { randomBytes } from 'node:crypto';
import { OpenmatesError } from '../errors.js';
import { loadPty, type PtyModule } from './load-pty.js';
import { TerminalSession, type TerminalReader } from './terminal-session.js';
import type { TerminalExit, TerminalInfo } from './terminal-types.js';

export const TERMINAL_DEFAULTS = {
  /** Scrollback per session. */
  ringBytes: 2 * 1024 * 1024,
  /** A session nobody reads (the client went away) is hung up after this long. */
  detachedGraceMs: 10 * 60_000,
  /** An ended session is kept this long, so a client that comes back reads the rest and the exit status. */
  endedKeepMs: 60_000,
};

export interface TerminalManagerOptions {
  ringBytes?: number;
  detachedGraceMs?: number;
  endedKeepMs?: number;
  /** The PTY library (tests may pass a loader that fails). */
  loadPty?: () => Promise<PtyModule>;
  /** Told when a session ends (for the audit log). */
  onEnded?: (info: TerminalInfo, exit: TerminalExit) => void;
}

export interface CreateTerminalRequest {
  /** Absolute path of the shell; default: $SHELL, else /bin/sh. */
  shell?: string;
  /** An existing directory (the caller checked it against the policy). */
  cwd: string;
  cols: number;
  rows: number;
  /** The shell's environment (the caller leaves secrets out where it must). */
  env: Record<string, string | undefined>;
}

/** Every terminal session of one agent: started, found by id, hung up when abandoned, all ended when the agent stops. */
export class TerminalManager {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private stopping: OpenmatesError | undefined;
  readonly ringBytes: number;
  readonly detachedGraceMs: number;
  private readonly endedKeepMs: number;

  constructor(private readonly options: TerminalManagerOptions = {}) {
    this.ringBytes = options.ringBytes ?? TERMINAL_DEFAULTS.ringBytes;
    this.detachedGraceMs = options.detachedGraceMs ?? TERMINAL_DEFAULTS.detachedGraceMs;
    this.endedKeepMs = options.endedKeepMs ?? TERMINAL_DEFAULTS.endedKeepMs;
  }

  async create(request: CreateTerminalRequest): Promise<TerminalSession> {
    if (this.stopping) throw this.stopping;
    const pty = await (this.options.loadPty ?? loadPty)();
    const shell = request.shell ?? request.env.SHELL ?? '/bin/sh';
    const id = `t-${randomBytes(6).toString('hex')}`;
    let spawned;
    try {
      spawned = pty.spawn(shell, [], {
        name: 'xterm-256color',
        cols: request.cols,
        rows: request.rows,
        cwd: request.cwd,
        env: { ...request.env, TERM: 'xterm-256color' },
        // Bytes, not decoded text: output is numbered by byte and must arrive exactly as written.
        encoding: null,
      });
    } catch (error) {
      throw new OpenmatesError('operation-failed', `The shell ${shell} could not start in ${request.cwd}: ${(error as Error).message}.`, 'pass the absolute path of an executable shell');
    }
    const session = new TerminalSession(spawned, {
      id,
      shell,
      cwd: request.cwd,
      cols: request.cols,
      rows: request.rows,
      ringBytes: this.ringBytes,
      onIdle: (idle) => this.idle(idle),
      onExit: (ended, exit) => this.ended(ended, exit),
    });
    this.sessions.set(id, session);
    this.idle(session);
    return session;
  }

  get(id: string): TerminalSession {
    const session = this.sessions.get(id);
    if (!session) throw new OpenmatesError('usage', `There is no terminal ${id}: it ended, was abandoned, or the agent restarted.`, 'list the terminals, or open a new one');
    return session;
  }

  list(): TerminalInfo[] {
    return [...this.sessions.values()].map((session) => session.info());
  }

  /** A reader of terminal `id` for `deviceName`, from byte `after` (see TerminalSession.attach); the session is in use again. */
  attach(id: string, deviceName: string, after = 0): TerminalReader {
    const session = this.get(id);
    const reader = session.attach(deviceName, after);
    if (!session.exit) {
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
    }
    return reader;
  }

  /** Ends every session (the agent stops): their readers hear `why`, their shells are hung up. */
  stopAll(why: OpenmatesError): void {
    this.stopping = why;
    for (const session of this.sessions.values()) session.stop(why);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private idle(session: TerminalSession): void {
    if (session.exit || session.readerCount > 0) return;
    this.schedule(session, this.detachedGraceMs, () => session.close());
  }

  private ended(session: TerminalSession, exit: TerminalExit): void {
    this.options.onEnded?.(session.info(), exit);
    this.schedule(session, this.endedKeepMs, () => this.sessions.delete(session.id));
  }

  private schedule(session: TerminalSession, ms: number, run: () => void): void {
    clearTimeout(this.timers.get(session.id));
    const timer = setTimeout(() => {
      this.timers.delete(session.id);
      run();
    }, ms);
    timer.unref();
    this.timers.set(session.id, timer);
  }
}
