import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
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
});
