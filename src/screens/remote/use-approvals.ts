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
 */
export function useApprovals(source: ApprovalsSource | undefined, polling: ApprovalsPolling = DEFAULT_POLLING): { view: ApprovalsView; refresh: () => void } {
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
          setView(approvals === undefined ? { state: 'no-agent' } : { state: 'ready', approvals: approvals.map(printableApproval) });
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
  }, [source, round, polling.everyMs, polling.idleMs]);

  const refresh = useCallback(() => {
    if (mounted.current) setRound((value) => value + 1);
  }, []);
  return { view, refresh };
}

export function pendingCount(view: ApprovalsView, now: number): number {
  return view.state === 'ready' ? view.approvals.filter((approval) => isDecidable(approval, now)).length : 0;
}
