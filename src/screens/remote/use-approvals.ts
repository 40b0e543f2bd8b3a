import { useCallback, useEffect, useRef, useState } from 'react';
import type { Approval } from '../../remote/protocol/approvals.js';
import { isDecidable } from '../../remote/protocol/approval-text.js';
import { printableApproval } from '../../remote/protocol/approval-printable.js';
import type { ApprovalsSource } from '../../remote/agent/control-approvals.js';

export type ApprovalsView =
  | { state: 'loading' }
  | { state: 'no-agent' }
  | { state: 'ready'; approvals: Approval[] }
  | { state: 'failed'; error: unknown };

export interface ApprovalsPolling {
  /** How often to ask a running agent. */
  everyMs: number;
  /** How often to look again for an agent when none runs. */
  idleMs: number;
}

export const DEFAULT_POLLING: ApprovalsPolling = { everyMs: 1000, idleMs: 5000 };

/**
 * The approvals as the agent has them (their texts made printable), asked again every second while shown (a local socket: cheap),
 * and every few seconds while no agent runs. `refresh` asks at once (after a decision).
 * `onlyChanges`: an answer like the last one keeps the same view, so it costs no redraw (for a
 * screen that only counts them; the Remote access screen redraws on each answer, its countdowns' clock).
 */
export function useApprovals(source: ApprovalsSource | undefined, polling: ApprovalsPolling = DEFAULT_POLLING, onlyChanges = false): { view: ApprovalsView; refresh: () => void } {
  const [view, setView] = useState<ApprovalsView>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (!source) return;
    let active = true;
    let timer: NodeJS.Timeout | undefined;
    const ask = () => {
      source.list().then(
        (approvals) => {
          if (!active) return;
          const next: ApprovalsView = approvals === undefined ? { state: 'no-agent' } : { state: 'ready', approvals: approvals.map(printableApproval) };
          setView((current) => (onlyChanges && sameApprovalsView(current, next) ? current : next));
          timer = setTimeout(ask, approvals === undefined ? polling.idleMs : polling.everyMs);
        },
        (error: unknown) => {
          if (!active) return;
          setView({ state: 'failed', error });
          timer = setTimeout(ask, polling.idleMs);
        },
      );
    };
    ask();
    return () => {
      active = false;
      if (timer) clearTimeout(timer);
    };
  }, [source, round, polling.everyMs, polling.idleMs, onlyChanges]);

  const refresh = useCallback(() => {
    if (mounted.current) setRound((value) => value + 1);
  }, []);
  return { view, refresh };
}

/** Whether two views show the same thing (failures never count as the same: each is news). */
export function sameApprovalsView(a: ApprovalsView, b: ApprovalsView): boolean {
  if (a.state !== b.state) return false;
  if (a.state === 'ready' && b.state === 'ready') return JSON.stringify(a.approvals) === JSON.stringify(b.approvals);
  return a.state !== 'failed';
}

export function pendingCount(view: ApprovalsView, now: number): number {
  return view.state === 'ready' ? view.approvals.filter((approval) => isDecidable(approval, now)).length : 0;
}
