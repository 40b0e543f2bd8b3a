import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DashboardSnapshot } from '../../src/core/dashboard/types.js';
import { OpenmatesError } from '../../src/core/errors.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { Home } from '../../src/screens/Home.js';
import { deferred, INSTALL_DIR, installedDegraded, liveSnapshot, notInstalled, scriptedOperations } from './fixtures.js';
import { chooseMenuItem, keys, plain, press, waitForText } from './terminal.js';
import type { InstanceStatus } from '../../src/core/status/types.js';

afterEach(() => cleanup());

function renderHome(options: { status?: () => Promise<InstanceStatus>; dashboard?: (onSnapshot: (s: DashboardSnapshot) => void, signal: AbortSignal) => Promise<void> }, withLogs = true) {
  const { operations, calls } = scriptedOperations(options);
  const onInstall = vi.fn();
  const onQuit = vi.fn();
  const onLifecycle = vi.fn();
  const onOpenLogs = vi.fn();
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <Home operations={operations} installDir={INSTALL_DIR} onInstall={onInstall} onLifecycle={onLifecycle} {...(withLogs ? { onOpenLogs } : {})} onQuit={onQuit} />
    </AppInfoContext.Provider>,
  );
  return { ...view, calls, onInstall, onQuit, onLifecycle, onOpenLogs };
}

/** A dashboard the test feeds: `send` pushes a snapshot as the core would. */
function liveDashboard() {
  let push: ((snapshot: DashboardSnapshot) => void) | undefined;
  let aborted = false;
  const dashboard = (onSnapshot: (s: DashboardSnapshot) => void, signal: AbortSignal) => {
    push = onSnapshot;
    return new Promise<void>((resolve) => signal.addEventListener('abort', () => ((aborted = true), resolve()), { once: true }));
  };
  return {
    dashboard,
    send: (snapshot: DashboardSnapshot) => push!(snapshot),
    get aborted() {
      return aborted;
    },
  };
}

describe('Home (the dashboard)', () => {
  it('says "Checking…" until the first snapshot, then offers Install when nothing is installed', async () => {
    const status = deferred<InstanceStatus>();
    const { lastFrame, stdin, onInstall } = renderHome({ status: () => status.promise });
    expect(plain(lastFrame())).toContain('Checking…');
    expect(plain(lastFrame())).not.toContain('Install');

    status.resolve(notInstalled);
    const frame = await waitForText(lastFrame, 'Not installed', '❯ Install', 'Quit');
    expect(frame).toContain('OpenMates server');
    expect(frame).toContain('box-7');
    expect(frame).not.toContain('Uninstall');
    expect(frame).not.toContain('l logs');

    await press(stdin, keys.enter);
    expect(onInstall).toHaveBeenCalledTimes(1);
  });

  it('shows every service with state, health, uptime, restarts, CPU and memory, and the host, version and URLs', async () => {
    const live = liveDashboard();
    const { lastFrame } = renderHome({ dashboard: live.dashboard });
    live.send(liveSnapshot);
    const frame = await waitForText(lastFrame, 'Installed · v0.14.0 · 3/4 services healthy', 'SERVICE', 'STATE', 'HEALTH', 'UP', 'RESTARTS', 'CPU', 'MEMORY');
    expect(frame).toMatch(/✓ api\s+running\s+healthy\s+3h0m\s+0\s+2\.5%\s+181\.3 MB/);
    expect(frame).toMatch(/✓ cache\s+running\s+healthy\s+1m\s+0\s+0\.3%\s+12\.0 MB/);
    expect(frame).toMatch(/✓ setup\s+completed\s+-\s+-\s+0\s+-\s+-/);
    expect(frame).toContain('7.5% of 2 cores · load 0.31');
    expect(frame).toContain('1.5 GB used of 4.0 GB');
    expect(frame).toContain('install, Docker 12.3 GB free of 40.0 GB');
    expect(frame).toContain('http://localhost:5173');
    expect(frame).toContain('l logs');
  });

  it('makes a stopped service stand out with a one-line hint, and l opens its logs', async () => {
    const live = liveDashboard();
    const { lastFrame, stdin, onOpenLogs } = renderHome({ dashboard: live.dashboard });
    live.send(liveSnapshot);
    const frame = await waitForText(lastFrame, '→ task-worker stopped (exit code 137) · press l for its logs');
    expect(frame).toMatch(/✗ task-worker\s+exited 137\s+-\s+-\s+3/);
    expect(frame).not.toMatch(/✗ api/);
    await press(stdin, 'l');
    expect(onOpenLogs).toHaveBeenCalledWith('task-worker');

    // It comes back: the hint goes away, and l opens the logs of all services.
    live.send({ ...liveSnapshot, healthy: true, services: liveSnapshot.services.map((s) => (s.service === 'task-worker' ? { ...s, state: 'running', engineState: 'running', exitCode: 0, startedAt: new Date().toISOString() } : s)) });
    await vi.waitFor(() => expect(plain(lastFrame())).not.toContain('press l for its logs'));
    expect(plain(lastFrame())).toMatch(/✓ task-worker\s+running/);
    await press(stdin, 'l');
    expect(onOpenLogs).toHaveBeenLastCalledWith(undefined);
  });

  it('names each service that needs attention in turn with tab: restarting and unhealthy ones too', async () => {
    const live = liveDashboard();
    const { lastFrame, stdin, onOpenLogs } = renderHome({ dashboard: live.dashboard });
    live.send({
      ...liveSnapshot,
      services: liveSnapshot.services.map((s) =>
        s.service === 'api' ? { ...s, state: 'unhealthy', health: 'unhealthy' } : s.service === 'task-worker' ? { ...s, state: 'restarting', engineState: 'restarting' } : s,
      ),
    });
    await waitForText(lastFrame, '→ api is unhealthy · press l for its logs · tab: next of 2');
    await press(stdin, '\t');
    await waitForText(lastFrame, '→ task-worker keeps restarting (3 restarts)');
    await press(stdin, 'l');
    expect(onOpenLogs).toHaveBeenCalledWith('task-worker');
  });

  it('without a logs screen the hint only names the problem', async () => {
    const live = liveDashboard();
    const { lastFrame } = renderHome({ dashboard: live.dashboard }, false);
    live.send(liveSnapshot);
    const frame = await waitForText(lastFrame, '→ task-worker stopped (exit code 137)');
    expect(frame).not.toContain('press l');
  });

  it('Start, Restart and Stop open their screen; the crashed worker puts Start first', async () => {
    const { lastFrame, stdin, onLifecycle, onInstall } = renderHome({ status: () => Promise.resolve(installedDegraded) });
    await waitForText(lastFrame, '❯ Start', 'Restart', 'Stop', 'Logs', 'Backups', 'More…');
    await press(stdin, keys.enter);
    expect(onLifecycle).toHaveBeenLastCalledWith('start');
    await press(stdin, keys.down, keys.enter);
    expect(onLifecycle).toHaveBeenLastCalledWith('restart');
    await press(stdin, keys.down, keys.enter);
    expect(onLifecycle).toHaveBeenLastCalledWith('stop');
    await chooseMenuItem(stdin, lastFrame, 'Reinstall / repair');
    const more = plain(lastFrame());
    expect(more).toContain('Reset (delete the data)');
    expect(more).toContain('Uninstall');
    expect(more).toContain('Settings');
    await press(stdin, keys.enter);
    expect(onInstall).toHaveBeenCalledTimes(1);
  });

  it('says when Docker goes away, keeps the last known services, and offers to check again', async () => {
    const live = liveDashboard();
    const { lastFrame } = renderHome({ dashboard: live.dashboard });
    live.send(liveSnapshot);
    await waitForText(lastFrame, 'api');
    live.send({ ...liveSnapshot, healthy: false, engine: { state: 'lost', message: 'The Docker engine at unix:///var/run/docker.sock stopped answering.', hint: 'Check that Docker is running.', retryInSeconds: 5 } });
    const frame = await waitForText(lastFrame, 'Docker is not reachable', 'stopped answering', '→ Check that Docker is running.', 'trying again every 5 s', '❯ Check again');
    expect(frame).toMatch(/\? task-worker\s+exited 137/);
    expect(frame).not.toMatch(/✓ api/);
  });

  it('shows a failed watch with its hint, and starts it again on r', async () => {
    const error = new OpenmatesError('invalid-stack', 'The stack file /opt/openmates/openmates-stack.yml is not valid: field "name" is missing.', 'The format is described in README.md.');
    let fail = true;
    const { lastFrame, stdin, calls } = renderHome({ status: () => (fail ? Promise.reject(error) : Promise.resolve(notInstalled)) });
    const frame = await waitForText(lastFrame, 'Status unknown', 'field "name" is missing', 'The format is described');
    expect(frame).toContain('❯ Check again');

    fail = false;
    await press(stdin, 'r');
    await waitForText(lastFrame, 'Not installed');
    expect(calls.status).toBe(2);
  });

  it('stops watching when it goes away, and q quits', async () => {
    const live = liveDashboard();
    const { lastFrame, stdin, onQuit, unmount } = renderHome({ dashboard: live.dashboard });
    live.send(liveSnapshot);
    await waitForText(lastFrame, 'api');
    await press(stdin, 'q');
    expect(onQuit).toHaveBeenCalledTimes(1);
    unmount();
    expect(live.aborted).toBe(true);
  });
});
