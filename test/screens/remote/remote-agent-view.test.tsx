import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { keys, plain, press, waitForText } from '../terminal.js';
import { FAST_POLLING, fakeSource, restartApproval, writeApproval } from './approval-fixtures.js';
import type { AgentStatus } from '../../../src/remote/agent/agent-types.js';
import { RemoteAgentView } from '../../../src/screens/remote/RemoteAgentView.js';
import { foldAgentEvent, type RemoteViewState } from '../../../src/screens/remote/remote-view-state.js';

const status: AgentStatus = {
  running: true,
  name: 'prod-1',
  pid: 42,
  url: 'http://127.0.0.1:7420/',
  agentId: 'a'.repeat(43),
  roots: ['/srv/projects'],
  fullAccess: false,
  safetyMode: true,
  devices: [{ id: 'd1', name: 'phone', role: 'approver', created: '2026-01-01T00:00:00Z', connected: 0 }],
  requests: 0,
  stateDir: '/state',
};

const record = (seq: number, decision: 'allowed' | 'refused') => ({
  seq,
  time: '2026-01-01T10:00:0' + seq + 'Z',
  device: { id: 'd1', name: 'phone' },
  role: 'approver',
  op: 'files.write',
  target: `doc-${seq}.txt`,
  decision,
  result: decision === 'allowed' ? ('ok' as const) : ('error' as const),
  bytes: 1,
  durationMs: 1,
  prev: 'x',
});

afterEach(() => cleanup());

describe('the remote-access start screen', () => {
  it('shows what is shared, the mode, the devices and the live feed', () => {
    let state: RemoteViewState = { feed: [], notices: [] };
    state = foldAgentEvent(state, { type: 'listening', status });
    state = foldAgentEvent(state, { type: 'connected', device: { id: 'd1', name: 'phone' }, sessions: 1 });
    state = foldAgentEvent(state, { type: 'request', record: record(1, 'refused') });
    state = foldAgentEvent(state, { type: 'request', record: record(2, 'allowed') });
    const { lastFrame } = render(<RemoteAgentView state={state} rows={30} onQuit={() => {}} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Remote access: prod-1');
    expect(frame).toContain('Shared: /srv/projects');
    expect(frame).toContain('safety mode on');
    expect(frame).toMatch(/phone \(approver\)\s+connected \(1\)/);
    expect(frame).toContain('Requests (2)');
    expect(frame).toMatch(/files\.write doc-1\.txt refused/);
    expect(frame).toMatch(/files\.write doc-2\.txt ok/);
  });

  it('says loudly when the whole machine is shared, and q quits', async () => {
    let quit = false;
    const state = foldAgentEvent({ feed: [], notices: [] }, { type: 'listening', status: { ...status, fullAccess: true, roots: ['/'] } });
    const { lastFrame, stdin } = render(<RemoteAgentView state={state} rows={24} onQuit={() => (quit = true)} />);
    expect(lastFrame()).toContain('THE WHOLE MACHINE');
    await new Promise((resolve) => setTimeout(resolve, 20));
    stdin.write('q');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(quit).toBe(true);
  });

  it('shows the requests waiting for approval and decides them with the same keys as the app', async () => {
    const { source, state } = fakeSource([restartApproval(), writeApproval()]);
    let quit = false;
    const view = foldAgentEvent({ feed: [], notices: [] }, { type: 'listening', status });
    const { lastFrame, stdin } = render(<RemoteAgentView state={view} rows={40} onQuit={() => (quit = true)} approvals={source} polling={FAST_POLLING} />);
    const frame = await waitForText(lastFrame, 'Waiting for your approval (2)', '❯ Restart openmates-core · laptop (operator)', 'Write /srv/app/config.yml · phone (operator)');
    expect(frame).toMatch(/Downtime\s+about a minute/);
    expect(frame).toContain('safety mode on: changes wait for a person');
    expect(frame).toContain('y approve · n deny · q stop the agent');
    expect(frame).toContain('Requests (0)');

    await press(stdin, 'y');
    await waitForText(lastFrame, '✓ Restart openmates-core — Approved by you', 'Waiting for your approval (1)');
    expect(state.decisions).toEqual([{ id: 'r5tq1z', hash: 'c3'.repeat(32), decision: 'approve' }]);

    // q inside the reason is a letter, not "stop the agent".
    await press(stdin, 'n', 'quit it', keys.enter);
    await waitForText(lastFrame, '✗ Write /srv/app/config.yml — Denied by you: quit it');
    expect(quit).toBe(false);
    expect(state.decisions[1]).toEqual({ id: 'k7p2qd', hash: 'a1'.repeat(32), decision: 'deny', reason: 'quit it' });
    await press(stdin, 'q');
    expect(quit).toBe(true);
  });

  it('shows nothing about approvals when none wait or the control socket does not answer yet', async () => {
    const { source, state } = fakeSource(undefined);
    const view = foldAgentEvent({ feed: [], notices: [] }, { type: 'listening', status });
    const { lastFrame } = render(<RemoteAgentView state={view} rows={30} onQuit={() => {}} approvals={source} polling={FAST_POLLING} />);
    await waitForText(lastFrame, 'Requests (0)');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.lists).toBeGreaterThan(1);
    expect(plain(lastFrame())).not.toMatch(/for your approval|Nothing waits|remote-access agent runs|Asking/);
    state.approvals = [];
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(plain(lastFrame())).not.toMatch(/for your approval|Nothing waits/);
  });
});
