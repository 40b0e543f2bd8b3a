import { OpenmatesError } from '../../../core/errors.js';
import type { Approval, ApprovalDecision } from '../../protocol/approvals.js';
import type { DeviceRole } from '../../protocol/handshake-messages.js';
import { newApprovalId } from './approval-hash.js';
import { SessionGrants, type Grant, type GrantScope } from './session-grants.js';

/** Who decides: an approver device, or a person on the server (`cli`, `app`); `agent` for expiry, cancel and stop. */
export interface Decider {
  via: 'device' | 'cli' | 'app' | 'agent';
  name: string;
  deviceId?: string;
  role?: DeviceRole;
}

/** An Approval before the store gives it an id, times and a state; `scope` is what "for the session" would cover. */
export type ApprovalDraft = Omit<Approval, 'id' | 'requestedAt' | 'expiresAt' | 'state' | 'decidedAt' | 'decidedBy' | 'forSession' | 'reason'> & { scope: GrantScope };

/** One audit-worthy thing the store did: a decision (approved, denied), an end without one (expired, cancelled, agent stop), or a refused attempt. */
export interface ApprovalAuditEvent {
  approval: Approval | undefined;
  approvalId: string;
  outcome: 'approved' | 'denied' | 'expired' | 'cancelled' | 'refused';
  by: Decider;
  reason?: string;
}

export interface ApprovalStoreOptions {
  /** How long a request waits for a decision (the approval-timeout setting). */
  timeoutMs: number;
  now?: () => number;
  /** Awaited before the waiting caller is told (so the decision is in the audit log first). */
  onAudit?: (event: ApprovalAuditEvent) => Promise<void> | void;
  /** Every new or changed approval (the watch stream, the agent's screen). */
  onChange?: (approval: Approval) => void;
  /** Decided approvals kept for `list()`. */
  keepDecided?: number;
}

interface Entry {
  approval: Approval;
  scope: GrantScope;
  settle?: (error?: OpenmatesError) => void;
  timer?: NodeJS.Timeout;
}

/**
 * The pending approvals, in memory: a request waits until the first valid decision, expiry,
 * cancellation or the agent's stop. Decisions are bound to the request's hash, count once,
 * and never come from an operator device.
 */
export class ApprovalStore {
  private readonly entries = new Map<string, Entry>();
  private readonly watchers = new Set<(approval: Approval) => void>();
  private readonly grants = new SessionGrants();
  private readonly now: () => number;
  private stoppedReason: string | undefined;
  private readonly settling = new Set<Promise<unknown>>();

  constructor(private readonly options: ApprovalStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Pending first (oldest first), then recently decided (newest first). */
  list(): Approval[] {
    const all = [...this.entries.values()].map((entry) => entry.approval);
    const pending = all.filter((approval) => approval.state === 'pending');
    const decided = all.filter((approval) => approval.state !== 'pending').sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
    return [...pending, ...decided];
  }

  get(id: string): Approval | undefined {
    return this.entries.get(id)?.approval;
  }

  /** A grant from an earlier "approve for the session" that covers this request, if any. */
  grantFor(scope: GrantScope): Grant | undefined {
    return this.grants.find(scope);
  }

  /** The device has no open session left: its for-session grants end. */
  deviceGone(deviceId: string): void {
    this.grants.endDevice(deviceId);
  }

  /** Calls `listener` for every new or changed approval until the returned function is called. */
  watch(listener: (approval: Approval) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /**
   * Asks: resolves with the approved Approval, rejects with OpenmatesError('approval-denied')
   * when it is denied, expires, is cancelled (the signal) or the agent stops. `onPending` gets
   * the new approval before anyone can decide it.
   */
  request(draft: ApprovalDraft, options: { signal: AbortSignal; onPending?: (approval: Approval) => void }): Promise<Approval> {
    if (this.stoppedReason !== undefined) return Promise.reject(denied(`Not asked: ${this.stoppedReason}; nothing was changed.`));
    options.signal.throwIfAborted();
    const requestedAt = this.now();
    const { scope, ...shown } = draft;
    const approval: Approval = {
      ...shown,
      id: newApprovalId((id) => this.entries.has(id)),
      requestedAt: new Date(requestedAt).toISOString(),
      expiresAt: new Date(requestedAt + this.options.timeoutMs).toISOString(),
      state: 'pending',
    };
    const entry: Entry = { approval, scope };
    this.entries.set(approval.id, entry);
    this.prune();
    return new Promise<Approval>((resolve, reject) => {
      const onAbort = () => void this.end(entry, 'cancelled', { via: 'agent', name: 'the caller' }, 'the caller cancelled the request (or its session ended)');
      entry.settle = (error) => {
        clearTimeout(entry.timer);
        options.signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(entry.approval);
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      entry.timer = setTimeout(() => void this.end(entry, 'expired', { via: 'agent', name: 'nobody' }, `nobody answered within ${minutes(this.options.timeoutMs)}`), this.options.timeoutMs);
      entry.timer.unref?.();
      options.onPending?.(approval);
      this.changed(approval);
    });
  }

  /** A decision from `by`. Throws 'refused' (operator, wrong hash, already decided, not for the session) after auditing the attempt. */
  async decide(decision: ApprovalDecision, by: Decider): Promise<Approval> {
    const entry = this.entries.get(decision.id);
    const refuse = async (message: string, hint?: string): Promise<never> => {
      await this.options.onAudit?.({ approval: entry?.approval, approvalId: decision.id, outcome: 'refused', by, reason: message });
      throw new OpenmatesError('refused', message, hint);
    };
    if (by.role === 'operator') return refuse(`An operator device cannot decide approvals (${by.name} tried to ${decision.decision} ${decision.id}).`, 'Decide from an approver device, `openmates remote-access approve|deny`, or the full-screen app.');
    if (!entry) return refuse(`There is no approval ${JSON.stringify(decision.id)} (pending or recently decided).`, 'List them with `openmates remote-access approvals`.');
    if (entry.approval.hash !== decision.hash) return refuse(`The decision for ${decision.id} names another request (hash mismatch): nothing was decided.`, 'Read the approval again and decide what it shows.');
    const approval = entry.approval;
    if (approval.state !== 'pending') {
      const when = approval.decidedAt ? ` at ${approval.decidedAt}` : '';
      return refuse(`Approval ${approval.id} is already ${approval.state}${approval.decidedBy ? ` by ${approval.decidedBy.name}` : ''}${when}: a request is decided once, the first answer wins.`);
    }
    if (decision.decision === 'approve' && decision.forSession && !approval.forSessionAllowed) {
      return refuse(`Approval ${approval.id} cannot be approved for the session: ${approval.op} here is destructive, so it is approved one at a time.`, 'Approve it without --for-session.');
    }
    if (decision.decision === 'approve') {
      await this.end(entry, 'approved', by, decision.reason, decision.forSession === true);
    } else {
      await this.end(entry, 'denied', by, decision.reason);
    }
    return entry.approval;
  }

  /** Every pending request is denied with `reason` (audited); later requests are denied at once. */
  async stopAll(reason: string): Promise<void> {
    this.stoppedReason = reason;
    const pending = [...this.entries.values()].filter((entry) => entry.approval.state === 'pending');
    await Promise.all(pending.map((entry) => this.end(entry, 'denied', { via: 'agent', name: 'the agent' }, reason)));
    await Promise.allSettled([...this.settling]);
  }

  private async end(entry: Entry, state: 'approved' | 'denied' | 'expired' | 'cancelled', by: Decider, reason?: string, forSession = false): Promise<void> {
    if (entry.approval.state !== 'pending') return;
    entry.approval = {
      ...entry.approval,
      state,
      decidedAt: new Date(this.now()).toISOString(),
      decidedBy: { via: by.via, name: by.name, ...(by.deviceId ? { deviceId: by.deviceId } : {}) },
      ...(forSession ? { forSession: true } : {}),
      ...(reason ? { reason } : {}),
    };
    clearTimeout(entry.timer);
    if (forSession) this.grants.add({ scope: entry.scope, approvalId: entry.approval.id, by: by.name });
    const done = (async () => {
      await Promise.resolve(this.options.onAudit?.({ approval: entry.approval, approvalId: entry.approval.id, outcome: state, by, ...(reason ? { reason } : {}) })).catch(() => undefined);
      this.changed(entry.approval);
      entry.settle?.(state === 'approved' ? undefined : denied(denialMessage(entry.approval), entry.approval));
    })();
    this.settling.add(done);
    await done.finally(() => this.settling.delete(done));
  }

  private changed(approval: Approval): void {
    this.options.onChange?.(approval);
    for (const watcher of this.watchers) watcher(approval);
  }

  private prune(): void {
    const keep = this.options.keepDecided ?? 50;
    const decided = [...this.entries.values()].filter((entry) => entry.approval.state !== 'pending');
    for (const entry of decided.slice(0, Math.max(0, decided.length - keep))) this.entries.delete(entry.approval.id);
  }
}

function minutes(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} s`;
}

/** 'approval-denied' (exit 16), carrying the approval as it ended (undefined: nobody was asked). */
export class ApprovalDeniedError extends OpenmatesError {
  constructor(message: string, readonly approval?: Approval) {
    super('approval-denied', message, 'Nothing was changed. Ask again when someone can answer, or change the request.');
  }
}

function denied(message: string, approval?: Approval): ApprovalDeniedError {
  return new ApprovalDeniedError(message, approval);
}

/** The sentence a denied caller gets: who denied it and why, or that nobody answered. */
function denialMessage(approval: Approval): string {
  const what = `${approval.op} (approval ${approval.id})`;
  const why = approval.reason ? `: ${approval.reason}` : '';
  switch (approval.state) {
    case 'expired':
      return `Not approved: ${what}: ${approval.reason ?? 'nobody answered in time'}; nothing was changed.`;
    case 'cancelled':
      return `Cancelled: ${what} was cancelled before anyone decided; nothing was changed.`;
    default:
      if (approval.decidedBy?.via === 'agent') return `Denied: ${what}: ${approval.reason ?? 'the agent stopped'}; nothing was changed.`;
      return `Denied by ${approval.decidedBy?.name ?? 'someone'}${approval.decidedBy?.via && approval.decidedBy.via !== 'device' ? ` (${approval.decidedBy.via})` : ''}: ${what}${why || ' (no reason given)'}; nothing was changed.`;
  }
}
