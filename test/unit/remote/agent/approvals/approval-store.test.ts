import { describe, expect, it, vi } from 'vitest';
import { ApprovalStore, type ApprovalAuditEvent, type ApprovalDraft } from '../../../../../src/remote/agent/approvals/approval-store.js';
import { canonicalJson, requestHash } from '../../../../../src/remote/agent/approvals/approval-hash.js';
import type { GrantScope } from '../../../../../src/remote/agent/approvals/session-grants.js';
import type { Approval } from '../../../../../src/remote/protocol/approvals.js';

const device = { id: 'dev-op', name: 'assistant', role: 'operator' as const };
const alice = { via: 'cli' as const, name: 'alice' };
const phone = { via: 'device' as const, name: 'phone', deviceId: 'dev-phone', role: 'approver' as const };

function draft(overrides: Partial<ApprovalDraft> = {}, scope: GrantScope = { kind: 'paths', op: 'files.write', deviceId: device.id, prefixes: ['/srv/a'] }): ApprovalDraft {
  return {
    hash: requestHash('files.write', { path: '/srv/a/x.txt' }, 'abc'),
    op: 'files.write',
    headline: 'Create /srv/a/x.txt (3 bytes).',
    targets: ['/srv/a/x.txt'],
    device,
    details: { kind: 'write', path: '/srv/a/x.txt', before: null, after: { size: 3 }, binary: false, diff: '+abc\n' },
    undo: { possible: true, how: 'undo' },
    forSessionAllowed: true,
    scope,
    ...overrides,
  };
}

function setup(timeoutMs = 60_000) {
  const audited: ApprovalAuditEvent[] = [];
  const store = new ApprovalStore({ timeoutMs, onAudit: (event) => void audited.push(event) });
  let pending: Approval | undefined;
  const ask = (d = draft(), signal = new AbortController().signal) => {
    const result = store.request(d, { signal, onPending: (approval) => (pending = approval) });
    result.catch(() => undefined);
    return { result, approval: () => pending! };
  };
  return { store, audited, ask };
}

describe('the approval store', () => {
  it('gives short typeable ids and binds a decision to the hash', async () => {
    const { store, ask } = setup();
    const { result, approval } = ask();
    expect(approval().id).toMatch(/^[a-z2-9]{6}$/);
    expect(store.list()).toEqual([expect.objectContaining({ id: approval().id, state: 'pending' })]);
    await expect(store.decide({ id: approval().id, hash: 'not-it', decision: 'approve' }, alice)).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('hash mismatch') });
    expect(store.get(approval().id)!.state).toBe('pending');
    await store.decide({ id: approval().id, hash: approval().hash, decision: 'approve' }, alice);
    await expect(result).resolves.toMatchObject({ state: 'approved', decidedBy: { via: 'cli', name: 'alice' } });
  });

  it('first decision wins; a second one is refused and audited', async () => {
    const { store, audited, ask } = setup();
    const { result, approval } = ask();
    const { id, hash } = approval();
    const [first, second] = await Promise.allSettled([store.decide({ id, hash, decision: 'approve' }, phone), store.decide({ id, hash, decision: 'deny' }, alice)]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { kind: 'refused', message: expect.stringContaining('already approved by phone') } });
    await expect(result).resolves.toMatchObject({ state: 'approved' });
    expect(audited.map((event) => [event.outcome, event.by.name])).toEqual([
      ['approved', 'phone'],
      ['refused', 'alice'],
    ]);
  });

  it('an operator device can never decide, and the attempt is audited', async () => {
    const { store, audited, ask } = setup();
    const { approval } = ask();
    await expect(store.decide({ id: approval().id, hash: approval().hash, decision: 'approve' }, { via: 'device', name: 'assistant', deviceId: device.id, role: 'operator' })).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('operator') });
    expect(store.get(approval().id)!.state).toBe('pending');
    expect(audited).toEqual([expect.objectContaining({ outcome: 'refused', by: expect.objectContaining({ name: 'assistant' }) })]);
  });

  it('a denial names who and why', async () => {
    const { store, ask } = setup();
    const { result, approval } = ask();
    await store.decide({ id: approval().id, hash: approval().hash, decision: 'deny', reason: 'wrong file' }, phone);
    await expect(result).rejects.toMatchObject({ kind: 'approval-denied', message: expect.stringMatching(/Denied by phone: .*wrong file/) });
  });

  it('expires after the timeout: denied, saying nobody answered', async () => {
    vi.useFakeTimers();
    try {
      const { store, audited, ask } = setup(600_000);
      const { result, approval } = ask();
      await vi.advanceTimersByTimeAsync(600_001);
      await expect(result).rejects.toMatchObject({ kind: 'approval-denied', message: expect.stringContaining('nobody answered within 10 minutes') });
      expect(store.get(approval().id)!.state).toBe('expired');
      expect(audited[0]).toMatchObject({ outcome: 'expired' });
      await expect(store.decide({ id: approval().id, hash: approval().hash, decision: 'approve' }, alice)).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('already expired') });
    } finally {
      vi.useRealTimers();
    }
  });

  it('the caller cancelling makes it cancelled; approving it later is refused', async () => {
    const { store, ask } = setup();
    const abort = new AbortController();
    const { result, approval } = ask(draft(), abort.signal);
    abort.abort();
    await expect(result).rejects.toMatchObject({ kind: 'approval-denied', message: expect.stringContaining('Cancelled') });
    expect(store.get(approval().id)!.state).toBe('cancelled');
    await expect(store.decide({ id: approval().id, hash: approval().hash, decision: 'approve' }, alice)).rejects.toMatchObject({ kind: 'refused' });
  });

  it('stopAll denies every pending request with the reason and refuses new ones', async () => {
    const { store, audited, ask } = setup();
    const one = ask();
    const two = ask(draft({ hash: 'other' }));
    await store.stopAll('the agent stopped');
    await expect(one.result).rejects.toMatchObject({ kind: 'approval-denied', message: expect.stringContaining('the agent stopped') });
    await expect(two.result).rejects.toMatchObject({ kind: 'approval-denied' });
    expect(audited.filter((event) => event.outcome === 'denied')).toHaveLength(2);
    await expect(store.request(draft(), { signal: new AbortController().signal })).rejects.toMatchObject({ kind: 'approval-denied' });
  });

  it('for the session: covers the same op under the same folder from the same device, until that device is gone', async () => {
    const { store, ask } = setup();
    const { approval } = ask();
    await store.decide({ id: approval().id, hash: approval().hash, decision: 'approve', forSession: true }, phone);
    expect(store.grantFor({ kind: 'paths', op: 'files.write', deviceId: device.id, prefixes: ['/srv/a/deeper'] })).toMatchObject({ approvalId: approval().id, by: 'phone' });
    expect(store.grantFor({ kind: 'paths', op: 'files.write', deviceId: device.id, prefixes: ['/srv/b'] })).toBeUndefined();
    expect(store.grantFor({ kind: 'paths', op: 'files.remove', deviceId: device.id, prefixes: ['/srv/a'] })).toBeUndefined();
    expect(store.grantFor({ kind: 'paths', op: 'files.write', deviceId: 'another', prefixes: ['/srv/a'] })).toBeUndefined();
    store.deviceGone('another');
    expect(store.grantFor({ kind: 'paths', op: 'files.write', deviceId: device.id, prefixes: ['/srv/a'] })).toBeDefined();
    store.deviceGone(device.id);
    expect(store.grantFor({ kind: 'paths', op: 'files.write', deviceId: device.id, prefixes: ['/srv/a'] })).toBeUndefined();
  });

  it('a command grant covers only the same command line in the same folder', async () => {
    const { store, ask } = setup();
    const { approval } = ask(draft({ op: 'exec' }, { kind: 'command', op: 'exec', deviceId: device.id, command: 'npm test', cwd: '/srv/a' }));
    await store.decide({ id: approval().id, hash: approval().hash, decision: 'approve', forSession: true }, alice);
    expect(store.grantFor({ kind: 'command', op: 'exec', deviceId: device.id, command: 'npm test', cwd: '/srv/a' })).toBeDefined();
    expect(store.grantFor({ kind: 'command', op: 'exec', deviceId: device.id, command: 'npm test; rm -rf .', cwd: '/srv/a' })).toBeUndefined();
  });

  it('a destructive request is never approved for the session', async () => {
    const { store, ask } = setup();
    const { result, approval } = ask(draft({ forSessionAllowed: false }));
    await expect(store.decide({ id: approval().id, hash: approval().hash, decision: 'approve', forSession: true }, alice)).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('cannot be approved for the session') });
    expect(store.get(approval().id)!.state).toBe('pending');
    await store.decide({ id: approval().id, hash: approval().hash, decision: 'approve' }, alice);
    await expect(result).resolves.toMatchObject({ state: 'approved' });
    expect(store.grantFor(draft().scope)).toBeUndefined();
  });

  it('lists pending first, then decided newest first, and tells watchers', async () => {
    const { store, ask } = setup();
    const seen: string[] = [];
    const stop = store.watch((approval) => seen.push(`${approval.id}:${approval.state}`));
    const one = ask();
    const oneId = one.approval().id;
    const oneHash = one.approval().hash;
    const two = ask(draft({ hash: 'h2' }));
    const twoId = two.approval().id;
    await store.decide({ id: oneId, hash: oneHash, decision: 'deny' }, alice);
    expect(store.list().map((approval) => approval.id)).toEqual([twoId, oneId]);
    stop();
    expect(seen).toEqual([`${oneId}:pending`, `${twoId}:pending`, `${oneId}:denied`]);
  });
});

describe('the request hash', () => {
  it('is the same for the same args in any key order, and differs with the content', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(requestHash('files.write', { path: 'a', size: 1 }, 'x')).toBe(requestHash('files.write', { size: 1, path: 'a' }, 'x'));
    expect(requestHash('files.write', { path: 'a' }, 'x')).not.toBe(requestHash('files.write', { path: 'a' }, 'y'));
    expect(requestHash('files.write', { path: 'a' })).not.toBe(requestHash('files.remove', { path: 'a' }));
  });
});
