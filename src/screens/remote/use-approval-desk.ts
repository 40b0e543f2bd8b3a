import { useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { Approval, ApprovalDecision } from '../../remote/protocol/approvals.js';
import { forSessionRefusal, isDecidable, outcomeText } from '../../remote/protocol/approval-text.js';
import { printableApproval } from '../../remote/protocol/approval-printable.js';
import { applyTyping } from '../components/ConfirmPhraseInput.js';
import type { KeyHint } from '../components/KeyHints.js';
import type { ApprovalsSource } from '../../remote/agent/control-approvals.js';
import { useApprovals, type ApprovalsPolling, type ApprovalsView } from './use-approvals.js';

/** The last decision made here: the approval as decided, or the error (then `id` finds who decided first). */
export type DeskOutcome = { id: string; approval: Approval } | { id: string; error: unknown };

export type DeskMode = { name: 'browse' } | { name: 'reason'; approval: Approval; text: string } | { name: 'sending'; approval: Approval; decision: ApprovalDecision['decision']; forSession: boolean };

export interface ApprovalDesk {
  view: ApprovalsView;
  /** Decidable now, in the agent's order. */
  pending: Approval[];
  /** The rest: recently decided, expired, cancelled. */
  decided: Approval[];
  selected?: Approval;
  mode: DeskMode;
  outcome?: DeskOutcome;
  /** A one-line note: why `s` was refused, that the shown request expired meanwhile. */
  notice?: string;
  /** First diff line shown of the selected approval. */
  scroll: number;
  hints: KeyHint[];
  now: number;
}

export interface ApprovalDeskOptions {
  /** The face deciding, for the audit log and "by you". */
  self: 'app';
  /** Esc outside the reason prompt. */
  onEscape?: () => void;
  isActive?: boolean;
  polling?: ApprovalsPolling;
  /** Lines PgDn moves the diff. */
  page?: number;
}

/**
 * Deciding approvals with keys: ↑↓ pick, y approve, n deny (then an optional reason: Enter sends,
 * Esc sends without one), s approve for the session when allowed, PgUp/PgDn scroll the diff.
 * Shared by the app's Remote access screen and the agent's own screen.
 */
export function useApprovalDesk(source: ApprovalsSource | undefined, options: ApprovalDeskOptions): ApprovalDesk {
  const { view, refresh } = useApprovals(source, options.polling);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const [mode, setModeState] = useState<DeskMode>({ name: 'browse' });
  // Keys can arrive faster than React renders (a pasted reason, then Enter; y twice): the input
  // handler reads the mode from here, set at once, never from a render that is already old.
  const modeRef = useRef<DeskMode>(mode);
  const setMode = (next: DeskMode) => {
    modeRef.current = next;
    setModeState(next);
  };
  const [outcome, setOutcome] = useState<DeskOutcome | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [scroll, setScroll] = useState(0);
  const now = Date.now();

  const all = view.state === 'ready' ? view.approvals : [];
  const pending = all.filter((approval) => isDecidable(approval, now));
  const decided = all.filter((approval) => !isDecidable(approval, now));
  const selected = pending.find((approval) => approval.id === selectedId) ?? pending[0];

  // The request on show went away (expired, cancelled, decided elsewhere): say so once.
  const shown = useRef<Approval | undefined>(undefined);
  // Sent from here: their leaving the list is this face's own doing, even before the answer is in.
  const sentHere = useRef(new Set<string>());
  const pendingIds = pending.map((approval) => approval.id).join(' ');
  useEffect(() => {
    const before = shown.current;
    shown.current = selected;
    if (!before || pending.some((approval) => approval.id === before.id) || sentHere.current.has(before.id)) return;
    const now = all.find((approval) => approval.id === before.id);
    setNotice(`While it was shown: ${before.headline}: ${now && now.state !== 'pending' ? outcomeText(now, options.self) : 'Expired: nobody answered in time'}`);
    setScroll(0);
    const current = modeRef.current;
    if (current.name === 'reason' && current.approval.id === before.id) setMode({ name: 'browse' });
  }, [pendingIds, selected?.id, view]);

  const select = (approval: Approval | undefined) => {
    setSelectedId(approval?.id);
    setScroll(0);
  };

  const send = (approval: Approval, decision: ApprovalDecision['decision'], extra: { forSession?: boolean; reason?: string } = {}) => {
    if (!source) return;
    sentHere.current.add(approval.id);
    setMode({ name: 'sending', approval, decision, forSession: extra.forSession === true });
    setNotice(undefined);
    setSelectedId(approval.id);
    const request: ApprovalDecision = { id: approval.id, hash: approval.hash, decision, ...(extra.forSession ? { forSession: true } : {}), ...(extra.reason ? { reason: extra.reason } : {}) };
    source.decide(request).then(
      (decidedApproval) => setOutcome({ id: approval.id, approval: printableApproval(decidedApproval) }),
      (error: unknown) => setOutcome({ id: approval.id, error }),
    ).finally(() => {
      setMode({ name: 'browse' });
      refresh();
    });
  };

  useInput(
    (input, key) => {
      const mode = modeRef.current;
      if (mode.name === 'sending') return;
      if (mode.name === 'reason') {
        if (key.escape) send(mode.approval, 'deny');
        else if (key.return) send(mode.approval, 'deny', { reason: mode.text.trim().slice(0, 500) });
        else if (key.backspace || key.delete) setMode({ ...mode, text: mode.text.slice(0, -1) });
        else if (!(key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || input === '')) setMode({ ...mode, text: applyTyping(mode.text, input) });
        return;
      }
      if (key.escape) return options.onEscape?.();
      const index = selected ? pending.indexOf(selected) : -1;
      if (key.upArrow && pending.length > 0) select(pending[(index - 1 + pending.length) % pending.length]);
      else if (key.downArrow && pending.length > 0) select(pending[(index + 1) % pending.length]);
      else if (key.pageDown) setScroll((value) => value + (options.page ?? 10));
      else if (key.pageUp) setScroll((value) => Math.max(0, value - (options.page ?? 10)));
      else if (!selected) return;
      else if (input === 'y') send(selected, 'approve');
      else if (input === 'n') {
        setNotice(undefined);
        setSelectedId(selected.id);
        setMode({ name: 'reason', approval: selected, text: '' });
      } else if (input === 's') {
        const refusal = forSessionRefusal(selected);
        if (refusal) setNotice(`${refusal} Press y to approve this one.`);
        else send(selected, 'approve', { forSession: true });
      }
    },
    { isActive: options.isActive ?? true },
  );

  return { view, pending, decided, ...(selected ? { selected } : {}), mode, ...(outcome ? { outcome } : {}), ...(notice ? { notice } : {}), scroll, hints: deskHints(mode, selected, pending.length), now };
}

function deskHints(mode: DeskMode, selected: Approval | undefined, count: number): KeyHint[] {
  if (mode.name === 'reason') return [{ keys: 'enter', action: 'deny with this reason' }, { keys: 'esc', action: 'deny without a reason' }];
  if (mode.name === 'sending' || !selected) return [];
  return [
    ...(count > 1 ? [{ keys: '↑↓', action: 'pick' }] : []),
    { keys: 'y', action: 'approve' },
    { keys: 'n', action: 'deny' },
    ...(selected.forSessionAllowed ? [{ keys: 's', action: 'approve for the session' }] : []),
  ];
}
