import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import type { Operations } from '../../src/core/operations.js';
import type { InstanceStatus } from '../../src/core/status/types.js';
import type { UpdatePlan, UpdateResult } from '../../src/core/update/types.js';
import type { UpdateCheck } from '../../src/update/check-updates.js';
import { App } from '../../src/screens/App.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { Home } from '../../src/screens/Home.js';
import { Update } from '../../src/screens/Update.js';
import type { UpdateCheckView } from '../../src/screens/update-notice.js';
import { deferred, INSTALL_DIR, installedDegraded, operationsStub, snapshotFromStatus } from './fixtures.js';
import { keys, plain, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

const installed: InstanceStatus = { ...installedDegraded, healthy: true, services: installedDegraded.services.map((s) => ({ ...s, state: 'healthy' as const })) };
const available: UpdateCheck = {
  server: { installed: 'v0.14.0', latest: 'v0.15.0', available: true, channel: 'stable', checkedAt: '2026-01-01T00:00:00.000Z', fromCache: false },
  cli: { current: '0.1.0', latest: '0.2.0', available: true, upgradeCommand: 'npm install -g openmates-server-cli@latest' },
  notes: [],
};

const plan: UpdatePlan = {
  installDir: INSTALL_DIR,
  project: 'openmates-core',
  current: 'v0.14.0',
  target: 'v0.15.0',
  latest: 'v0.15.0',
  targetCommit: '4f2a9c1e0b7d',
  channel: 'stable',
  upToDate: false,
  images: ['r/openmates-api:v0.15.0', 'r/openmates-webapp:v0.15.0'],
  imagesToPull: ['r/openmates-api:v0.15.0'],
  backup: { directory: `${INSTALL_DIR}/backups`, volumes: ['openmates-postgres-data'], estimatedBytes: 52_000_000, includes: ['.env', 'docker-compose.yml'] },
  disk: [{ what: 'backup and images', path: `${INSTALL_DIR}/backups`, freeBytes: 20_000_000_000, neededBytes: 90_000_000, enough: true }],
  healthTimeout: 180,
  resume: 'finish',
  warnings: [],
  steps: [
    { id: 'pull', title: 'Pulling 2 images of v0.15.0' },
    { id: 'backup', title: 'Backing up the data volumes and the config' },
    { id: 'switch', title: 'Switching v0.14.0 → v0.15.0' },
    { id: 'start', title: 'Recreating the services on v0.15.0' },
    { id: 'health', title: 'Waiting for v0.15.0 to become healthy' },
  ],
};

const updated: UpdateResult = {
  outcome: 'updated',
  project: 'openmates-core',
  from: 'v0.14.0',
  version: 'v0.15.0',
  installDir: INSTALL_DIR,
  services: installed.services,
  degraded: [],
  backupFile: `${INSTALL_DIR}/backups/openmates-core-v0.14.0-20260101-000000-pre-update.tar`,
  logFile: `${INSTALL_DIR}/logs/update-2026-01-01.log`,
};

function operationsWith(overrides: Partial<Operations> & { status?: () => Promise<InstanceStatus> }): Operations {
  const status = overrides.status ?? (async () => installed);
  return {
    ...operationsStub(),
    status,
    // The home screen is the live dashboard: it shows what the status would say.
    watchDashboard: async (_options, onSnapshot, signal) => {
      onSnapshot(snapshotFromStatus(await status()));
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
    ...overrides,
  };
}

function renderHome(status: InstanceStatus, updates: UpdateCheckView) {
  const onUpdate = vi.fn();
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <Home operations={operationsWith({ status: async () => status })} installDir={INSTALL_DIR} onInstall={vi.fn()} onLifecycle={vi.fn()} onQuit={vi.fn()} updates={updates} onUpdate={onUpdate} />
    </AppInfoContext.Provider>,
  );
  return { ...view, onUpdate };
}

describe('the update notice on the home screen', () => {
  it('says "Update available: v0.14.0 -> v0.15.0" with the key, leaves the menu where it was, and u opens it', async () => {
    const { lastFrame, stdin, onUpdate } = renderHome(installed, { state: 'done', check: available });
    const frame = await waitForText(lastFrame, 'Update available: v0.14.0 -> v0.15.0. Press u to update.');
    expect(frame).toMatch(/❯ (Start|Restart)/);
    expect(frame).toContain('u update');
    expect(frame).toContain('openmates 0.2.0 is out (this is 0.1.0): npm install -g openmates-server-cli@latest');
    await press(stdin, 'u');
    expect(onUpdate).toHaveBeenCalledTimes(1);
  });

  it('while the check runs, says so quietly and u does nothing', async () => {
    const { lastFrame, stdin, onUpdate } = renderHome(installed, { state: 'checking' });
    const frame = await waitForText(lastFrame, 'Installed · v0.14.0', 'Checking for updates…');
    expect(frame).not.toContain('u update');
    await press(stdin, 'u');
    expect(onUpdate).not.toHaveBeenCalled();
  });

  it('turns a failed check into a quiet note and offers no update', async () => {
    const note = 'Could not check for a newer OpenMates: Cannot list the versions of ghcr.io/glowingkitty/openmates-api at https://ghcr.io: ghcr.io did not answer in time.';
    const { lastFrame } = renderHome(installed, { state: 'done', check: { notes: [note] } });
    const frame = await waitForText(lastFrame, 'Installed · v0.14.0', 'Could not check for a newer OpenMates');
    expect(frame).not.toContain('Update available');
    expect(frame).toMatch(/❯ (Start|Restart)/);
  });

  it('shows an interrupted update before anything else, and u opens it', async () => {
    const interrupted: InstanceStatus = { ...installed, interruptedUpdate: { from: 'v0.14.0', to: 'v0.15.0', phase: 'waiting', startedAt: '2026-01-01T00:00:00Z', running: false } };
    const { lastFrame, stdin, onUpdate } = renderHome(interrupted, { state: 'done', check: available });
    const frame = await waitForText(lastFrame, 'An update from v0.14.0 to v0.15.0 was interrupted while waiting for v0.15.0 to become healthy.', 'Press u to finish it or roll it back.');
    expect(frame).toContain('❯ Finish update to v0.15.0');
    expect(frame).not.toContain('Update available');
    await press(stdin, 'u');
    expect(onUpdate).toHaveBeenCalledTimes(1);
  });
});

describe('the app runs the update check after its first frame', () => {
  it('draws home while the check is still out, then shows what it found', async () => {
    const check = deferred<UpdateCheck>();
    const checkForUpdates = vi.fn(() => check.promise);
    const { lastFrame } = render(<App operations={operationsWith({ checkForUpdates })} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" />);
    await waitForText(lastFrame, 'Installed · v0.14.0', 'Checking for updates…');
    expect(checkForUpdates).toHaveBeenCalledWith({ installDir: INSTALL_DIR, cliVersion: '0.1.0' }, expect.any(AbortSignal));
    check.resolve(available);
    await waitForText(lastFrame, 'Update available: v0.14.0 -> v0.15.0');
  });
});

function renderUpdate(operations: Operations, safetyMode?: boolean) {
  const onBack = vi.fn();
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <Update operations={operations} installDir={INSTALL_DIR} onBack={onBack} {...(safetyMode === undefined ? {} : { safetyMode })} />
    </AppInfoContext.Provider>,
  );
  return { ...view, onBack };
}

describe('the Update screen', () => {
  it('in safety mode shows what the update means and needs y; Esc goes back without updating', async () => {
    const update = vi.fn(() => deferred<UpdateResult>().promise);
    const first = renderUpdate(operationsWith({ planUpdate: async () => plan, update }), true);
    await waitForText(first.lastFrame, 'openmates-core v0.14.0 → v0.15.0');
    await press(first.stdin, keys.enter);
    const question = await waitForText(first.lastFrame, 'Update openmates-core from v0.14.0 to v0.15.0', 'A backup of the data is taken first.');
    expect(question).toContain('No data is deleted.');
    expect(update).not.toHaveBeenCalled();
    await press(first.stdin, keys.escape);
    expect(first.onBack).toHaveBeenCalledWith(false);
    expect(update).not.toHaveBeenCalled();
    first.unmount();

    const second = renderUpdate(operationsWith({ planUpdate: async () => plan, update }), true);
    await waitForText(second.lastFrame, 'openmates-core v0.14.0 → v0.15.0');
    await press(second.stdin, keys.enter);
    await waitForText(second.lastFrame, 'A backup of the data is taken first.');
    await press(second.stdin, 'y');
    expect(update).toHaveBeenCalledTimes(1);
  });

  it('shows the plan and the last backup, updates on enter with live steps, and ends on the result', async () => {
    const run = deferred<UpdateResult>();
    let sink: Parameters<Operations['update']>[1] | undefined;
    const update = vi.fn((_plan: UpdatePlan, given: Parameters<Operations['update']>[1]) => ((sink = given), run.promise));
    const listBackups = async () => [{ file: `${INSTALL_DIR}/backups/manual.tar`, createdAt: '2026-01-01T10:00:00.000Z', version: 'v0.14.0', reason: 'manual' as const, bytes: 1000, volumes: [] }];
    const { lastFrame, stdin, onBack } = renderUpdate(operationsWith({ planUpdate: async () => plan, update, listBackups }));
    const confirm = await waitForText(lastFrame, 'openmates-core v0.14.0 → v0.15.0', 'Last backup', 'manual.tar (manual, 2026-01-01 10:00)');
    expect(confirm).toContain('2 images of v0.15.0, 1 already here');
    expect(confirm).toContain('the compose file of v0.15.0, from commit 4f2a9c1e0b7d');
    expect(confirm).toContain('openmates-postgres-data (52.0 MB)');
    expect(confirm).toContain('up to 180 s; if v0.15.0 is not healthy by then, v0.14.0 is put back by itself');

    await press(stdin, keys.enter);
    expect(update).toHaveBeenCalledTimes(1);
    expect(update.mock.calls[0]![0]).toBe(plan);
    await waitForText(lastFrame, 'Updating openmates-core v0.14.0 → v0.15.0', 'Pulling 2 images of v0.15.0', 'Waiting for v0.15.0 to become healthy');
    sink!({ type: 'step-started', step: 'pull', title: 'Pulling 2 images of v0.15.0' });
    sink!({ type: 'step-finished', step: 'pull', outcome: 'done', detail: 'Pulled 1 of 2 images' });
    await waitForText(lastFrame, 'Pulled 1 of 2 images');

    run.resolve(updated);
    const done = await waitForText(lastFrame, 'openmates-core is on v0.15.0 and healthy (was v0.14.0)');
    expect(done).toContain('pre-update.tar');
    await press(stdin, 'q');
    expect(onBack).toHaveBeenCalledWith(true);
  });

  it('reports a rollback: what failed, its log lines, and that the previous version is back', async () => {
    const failure = new OpenmatesError(
      'rolled-back',
      'The update to v0.15.0 failed (v0.15.0 did not start: api is unhealthy) and was rolled back: v0.14.0 is running and healthy again.',
      'The data volumes were restored from the pre-update backup /opt/openmates/backups/x.tar.',
      ['api (unhealthy):', '  openmates-api v0.15.0 migration 42 failed'],
    );
    const { lastFrame, stdin } = renderUpdate(operationsWith({ planUpdate: async () => plan, update: () => Promise.reject(failure) }));
    await waitForText(lastFrame, 'openmates-core v0.14.0 → v0.15.0');
    await press(stdin, keys.enter);
    const frame = await waitForText(lastFrame, 'The update to v0.15.0 failed; the previous version is back and healthy');
    expect(frame).toContain('v0.14.0 is running and healthy again');
    expect(frame).toContain('migration 42 failed');
    expect(frame).toContain('restored from the pre-update backup');
  });

  it('offers to finish or roll back an interrupted update; b rolls back', async () => {
    const interrupted: UpdatePlan = {
      ...plan,
      interrupted: { format: 1, from: 'v0.14.0', to: 'v0.15.0', phase: 'waiting', startedAt: '', updatedAt: '', pid: 1, newVersionStarted: true, backupFile: '/b.tar', running: false },
    };
    const update = vi.fn(async () => ({ ...updated, outcome: 'rolled-back' as const, version: 'v0.14.0' }));
    const { lastFrame, stdin } = renderUpdate(operationsWith({ planUpdate: async () => interrupted, update }));
    const frame = await waitForText(lastFrame, 'An update from v0.14.0 to v0.15.0 was interrupted while waiting for v0.15.0 to become healthy.');
    expect(frame).toContain('f finish it: go on to v0.15.0');
    expect(frame).toContain('b roll back to v0.14.0, restoring the data volumes from the pre-update backup');
    await press(stdin, 'b');
    expect(update).toHaveBeenCalledTimes(1);
    expect((update.mock.calls[0] as unknown as [UpdatePlan])[0].resume).toBe('roll-back');
    await waitForText(lastFrame, 'Rolled back: openmates-core runs v0.14.0 again, healthy');
  });

  it('says when there is nothing to update, and a registry that cannot be reached', async () => {
    const upToDate = renderUpdate(operationsWith({ planUpdate: async () => ({ ...plan, target: 'v0.14.0', latest: 'v0.14.0', upToDate: true }) }));
    await waitForText(upToDate.lastFrame, 'openmates-core v0.14.0 is the newest stable release.');
    cleanup();
    const error = new OpenmatesError('operation-failed', 'Cannot list the versions of r/openmates-api at http://127.0.0.1:9: nothing answers at 127.0.0.1:9 (connection refused).', 'Check this server\'s network.');
    const offline = renderUpdate(operationsWith({ planUpdate: () => Promise.reject(error) }));
    const frame = await waitForText(offline.lastFrame, 'Cannot list the versions of r/openmates-api', '127.0.0.1:9 (connection refused)');
    expect(plain(frame)).toContain('r try again');
  });
});
