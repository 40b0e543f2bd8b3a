import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardService, DashboardSnapshot } from '../../src/core/dashboard/types.js';
import type { Operations } from '../../src/core/operations.js';
import { App } from '../../src/screens/App.js';
import { INSTALL_DIR, liveSnapshot, scriptedOperations } from './fixtures.js';
import { plain, renderSized, waitForText } from './terminal.js';
import { fakeSource, writeApproval, deleteApproval } from './remote/approval-fixtures.js';
import type { ApprovalsSource } from '../../src/remote/agent/control-approvals.js';

/** Set SHOW_FRAMES=1 to print the frames these tests look at. */
const show = (name: string, frame: string) => {
  if (process.env.SHOW_FRAMES) process.stdout.write(`\n── ${name} ──\n${frame}\n`);
};

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const view of mounted.splice(0)) view.unmount();
});

function renderAppSized(operations: Operations, columns: number, rows: number, approvals?: ApprovalsSource) {
  const view = renderSized(<App operations={operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7.example.org" {...(approvals ? { approvals } : {})} />, { columns, rows });
  mounted.push(view);
  return view;
}

function expectFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBe(rows - 1);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
}

/** Upstream-sized: twenty services, one of them (far down the list) crashed. */
const workers = Array.from({ length: 16 }, (_, index): DashboardService => ({
  service: `app-worker-${index + 1}`,
  container: `openmates-core-app-worker-${index + 1}-1`,
  state: index === 13 ? 'exited' : 'running',
  engineState: index === 13 ? 'exited' : 'running',
  exitCode: index === 13 ? 1 : 0,
  startedAt: new Date(Date.now() - 600_000).toISOString(),
  restartCount: 0,
  cpuPercent: 0.4,
  memoryBytes: 95_000_000,
}));
const bigSnapshot: DashboardSnapshot = { ...liveSnapshot, services: [...liveSnapshot.services.filter((s) => s.service !== 'task-worker'), ...workers] };

function dashboardOf(snapshot: DashboardSnapshot) {
  return scriptedOperations({
    dashboard: async (onSnapshot, signal) => {
      onSnapshot(snapshot);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    },
  });
}

describe('dashboard layout', () => {
  for (const [columns, rows] of [
    [80, 24],
    [132, 40],
    [60, 20],
  ] as const) {
    it(`fits ${columns}x${rows} with twenty services, keeping the crashed one in view`, async () => {
      const view = renderAppSized(dashboardOf(bigSnapshot).operations, columns, rows);
      const frame = await waitForText(view.lastFrame, 'app-worker-14', 'Quit');
      show(`dashboard ${columns}x${rows}`, frame);
      expectFits(frame, columns, rows);
      expect(frame).toMatch(/✗ app-worker-14/);
      expect(frame).toContain('app-worker-14 stopped (exit code 1)');
      if (rows < 40) expect(frame).toMatch(/… \d+ more services/);
    });
  }

  it('lays the table out again on resize: narrow terminals drop columns, not rows', async () => {
    const view = renderAppSized(dashboardOf(liveSnapshot).operations, 100, 30);
    let frame = await waitForText(view.lastFrame, 'MEMORY', 'RESTARTS');
    expectFits(frame, 100, 30);
    view.stdout.resize(50, 24);
    await new Promise((resolve) => setTimeout(resolve, 50));
    frame = plain(view.lastFrame());
    show('dashboard 50x24', frame);
    expectFits(frame, 50, 24);
    expect(frame).toContain('SERVICE');
    expect(frame).toContain('STATE');
    expect(frame).not.toContain('RESTARTS');
    expect(frame).toMatch(/✗ task-wo…\s+exited 137/);
    expect(frame).toContain('task-worker stopped (exit code 137)');
  });

  it('says "unhealthy" in the state column when the health column does not fit', async () => {
    const unhealthy = { ...liveSnapshot, services: liveSnapshot.services.map((s) => (s.service === 'api' ? { ...s, state: 'unhealthy' as const, health: 'unhealthy' as const } : s)) };
    const view = renderAppSized(dashboardOf(unhealthy).operations, 60, 24);
    const frame = await waitForText(view.lastFrame, 'api is unhealthy');
    expect(frame).not.toContain('HEALTH');
    expect(frame).toMatch(/✗ api\s+unhealthy/);
  });

  it('shows a degraded health check in yellow with its reasons, and the badge says degraded', async () => {
    const services = liveSnapshot.services.filter((s) => s.service !== 'task-worker');
    const degraded: DashboardSnapshot = {
      ...liveSnapshot,
      services,
      healthy: true,
      checks: [{ name: 'api', url: 'http://127.0.0.1:8000/v1/health', ok: true, detail: 'HTTP 200, status degraded: providers.openai unhealthy', degraded: true, reasons: ['providers.openai unhealthy', 'apps.images degraded'] }],
    };
    const view = renderAppSized(dashboardOf(degraded).operations, 100, 30);
    const frame = await waitForText(view.lastFrame, 'api is degraded');
    show('dashboard degraded', frame);
    expect(frame).toContain('! api is degraded: providers.openai unhealthy, apps.images degraded');
    expect(frame).toContain('· degraded');
    expectFits(frame, 100, 30);
  });

  it('makes room for the approvals line: the frame still fits and the crashed service stays in view', async () => {
    const { source } = fakeSource([writeApproval(), deleteApproval()]);
    const view = renderAppSized(dashboardOf(bigSnapshot).operations, 80, 24, source);
    const frame = await waitForText(view.lastFrame, '2 remote requests wait for your approval', 'app-worker-14 stopped (exit code 1)', 'Quit');
    show('dashboard with approvals 80x24', frame);
    expectFits(frame, 80, 24);
    expect(frame).toMatch(/✗ app-worker-14/);
    // Nothing above it is squeezed out: the badge, the mode, the table's header, the whole menu.
    const lines = frame.split('\n').map((line) => line.trim());
    expect(lines.slice(3, 6)).toEqual(['● Installed · v0.14.0 · 18/19 services healthy', '● Safety mode off', '! 2 remote requests wait for your approval · press a']);
    expect(frame).toMatch(/SERVICE\s+STATE/);
    expect(frame).toContain('❯ Start');
  });
});
