import { OpenmatesError } from '../../core/errors.js';
import { TerminalManager, type TerminalExit, type TerminalManagerOptions, type TerminalReader, type TerminalSession } from '../../core/terminals/index.js';
import type { TerminalInfoWire } from '../protocol/ops.js';

export interface TerminalOwner {
  id: string;
  name: string;
  role: string;
  /** Operators' terminals are recorded redacted. */
  seesSecrets: boolean;
}

/** What the running agent adds: recordings and the audit line of each session's end. */
export interface TerminalHooks {
  /** Starts the session's recording; answers its name. */
  record?: (session: TerminalSession, owner: TerminalOwner) => string | undefined;
  /** A session ended (its shell exited, it was closed or abandoned, or the agent stopped). */
  ended?: (info: TerminalInfoWire, exit: TerminalExit, owner: TerminalOwner) => void;
}

type SizeListener = (cols: number, rows: number) => void;

/**
 * The agent's terminals as devices see them: the core's sessions plus who opened each (the only
 * device that may type into it), its recording, and who watches its size.
 */
export class RemoteTerminals {
  private readonly manager: TerminalManager;
  private readonly owners = new Map<string, { owner: TerminalOwner; recording?: string }>();
  private readonly sizeListeners = new Map<string, Set<SizeListener>>();

  readonly hooks: TerminalHooks = {};

  constructor(options: Omit<TerminalManagerOptions, 'onEnded'> = {}) {
    this.manager = new TerminalManager({
      ...options,
      onEnded: (info, exit) => {
        const owned = this.owners.get(info.id);
        if (owned) this.hooks.ended?.(this.wire(info, owned), exit, owned.owner);
      },
    });
  }

  async create(request: Parameters<TerminalManager['create']>[0], owner: TerminalOwner): Promise<TerminalInfoWire> {
    const session = await this.manager.create(request);
    const recording = this.hooks.record?.(session, owner);
    this.owners.set(session.id, { owner, ...(recording ? { recording } : {}) });
    return this.info(session.id);
  }

  session(id: string): TerminalSession {
    return this.manager.get(id);
  }

  /** The session, when `device` opened it; anyone else is refused (watching is all they may do). */
  owned(id: string, device: { id: string; name: string }): TerminalSession {
    const session = this.manager.get(id);
    const owner = this.owners.get(id)?.owner;
    if (owner?.id !== device.id) {
      throw new OpenmatesError('refused', `Terminal ${id} was opened by ${owner?.name ?? 'another device'}: ${device.name} may watch it, not type into it.`, 'open your own terminal');
    }
    return session;
  }

  info(id: string): TerminalInfoWire {
    return this.wire(this.manager.get(id).info(), this.owners.get(id));
  }

  list(): TerminalInfoWire[] {
    return this.manager.list().map((info) => this.wire(info, this.owners.get(info.id)));
  }

  /** A reader of terminal `id` from byte `after`, for `deviceName` (TerminalManager.attach). */
  attach(id: string, deviceName: string, after: number): TerminalReader {
    return this.manager.attach(id, deviceName, after);
  }

  resized(id: string, cols: number, rows: number): void {
    for (const listener of this.sizeListeners.get(id) ?? []) listener(cols, rows);
  }

  onResize(id: string, listener: SizeListener): () => void {
    const listeners = this.sizeListeners.get(id) ?? new Set<SizeListener>();
    listeners.add(listener);
    this.sizeListeners.set(id, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.sizeListeners.delete(id);
    };
  }

  stopAll(why: OpenmatesError): void {
    this.manager.stopAll(why);
  }

  private wire(info: ReturnType<TerminalSession['info']>, owned: { owner: TerminalOwner; recording?: string } | undefined): TerminalInfoWire {
    return {
      ...info,
      device: owned ? { id: owned.owner.id, name: owned.owner.name } : { id: '', name: 'unknown' },
      ...(owned?.recording ? { recording: owned.recording } : {}),
    };
  }
}
