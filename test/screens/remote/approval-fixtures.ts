import { OpenmatesError } from '../../../src/core/errors.js';
import type { Approval, ApprovalDecision } from '../../../src/remote/protocol/approvals.js';
import type { ApprovalsSource } from '../../../src/remote/agent/control-approvals.js';

const minutes = (count: number) => new Date(Date.now() + count * 60_000).toISOString();

const device = { id: 'dev-phone', name: 'phone', role: 'operator' as const };
const undoYes = { possible: true, how: 'yes: `openmates remote-access undo` lists it and puts the previous state back' };

export const diffLinesOf = (count: number) => Array.from({ length: count }, (_, index) => `+added line ${index + 1}`).join('\n');

export function writeApproval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'k7p2qd',
    hash: 'a1'.repeat(32),
    op: 'files.write',
    headline: 'Write /srv/app/config.yml',
    targets: ['/srv/app/config.yml'],
    device,
    requestedAt: minutes(-2),
    expiresAt: minutes(8),
    details: {
      kind: 'write',
      path: '/srv/app/config.yml',
      before: { size: 1200, version: 'v1' },
      after: { size: 1300 },
      binary: false,
      diff: '--- a/srv/app/config.yml\n+++ b/srv/app/config.yml\n@@ -1,3 +1,3 @@\n name: app\n-port: 8080\n+port: 9090\n debug: false\n',
    },
    undo: undoYes,
    forSessionAllowed: true,
    state: 'pending',
    ...overrides,
  };
}

export function deleteApproval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'm3xw9a',
    hash: 'b2'.repeat(32),
    op: 'files.remove',
    headline: 'Delete the folder /srv/app/cache',
    targets: ['/srv/app/cache'],
    device,
    requestedAt: minutes(-1),
    expiresAt: minutes(9),
    details: { kind: 'delete', path: '/srv/app/cache', files: 12, folders: 2, bytes: 48_000, sample: ['cache/a.bin', 'cache/b.bin'] },
    undo: undoYes,
    forSessionAllowed: false,
    state: 'pending',
    ...overrides,
  };
}

export function restartApproval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'r5tq1z',
    hash: 'c3'.repeat(32),
    op: 'server.restart',
    headline: 'Restart openmates-core',
    targets: ['openmates-core'],
    device: { id: 'dev-laptop', name: 'laptop', role: 'operator' },
    requestedAt: minutes(-1),
    expiresAt: minutes(9),
    details: {
      kind: 'service',
      action: 'restart',
      headline: 'Restart openmates-core: its 4 services stop and start again.',
      downtime: 'about a minute, until every service is healthy again',
      services: ['api', 'web', 'worker', 'cache'],
      consequences: ['People using OpenMates are disconnected until it is back.'],
    },
    undo: { possible: false, how: 'a restart cannot be undone, but nothing is lost' },
    forSessionAllowed: false,
    state: 'pending',
    ...overrides,
  };
}

/** An agent the test controls: `approvals` is what `list` answers (undefined: no agent), `decisions` what it was asked. */
export function fakeSource(initial: Approval[] | undefined) {
  const state = {
    approvals: initial,
    decisions: [] as ApprovalDecision[],
    lists: 0,
    /** Set: `decide` throws it (after recording the decision). */
    failWith: undefined as unknown,
    /** What `decide` does to the list when it fails (e.g. someone else decided first). */
    onFail: undefined as ((approvals: Approval[]) => Approval[]) | undefined,
  };
  const source: ApprovalsSource = {
    async list() {
      state.lists += 1;
      return state.approvals;
    },
    async decide(decision) {
      state.decisions.push(decision);
      const list = state.approvals ?? [];
      if (state.failWith !== undefined) {
        if (state.onFail) state.approvals = state.onFail(list);
        throw state.failWith;
      }
      const found = list.find((approval) => approval.id === decision.id);
      if (!found) throw new OpenmatesError('usage', `No approval ${decision.id}.`);
      const decided: Approval = {
        ...found,
        state: decision.decision === 'approve' ? 'approved' : 'denied',
        decidedAt: new Date().toISOString(),
        decidedBy: { via: 'app', name: 'root on this server (the openmates app)' },
        ...(decision.forSession ? { forSession: true } : {}),
        ...(decision.reason ? { reason: decision.reason } : {}),
      };
      state.approvals = [...list.filter((approval) => approval.id !== decision.id), decided];
      return decided;
    },
  };
  return { source, state };
}

export const FAST_POLLING = { everyMs: 20, idleMs: 40 };
