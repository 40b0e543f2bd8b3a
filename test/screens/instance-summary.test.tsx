import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import { nextEnabledIndex } from '../../src/screens/components/Menu.js';
import { homeMenuItems, moreMenuItems, summarizeInstance } from '../../src/screens/instance-summary.js';
import { installedDegraded, liveSnapshot, notInstalled, snapshotFromStatus } from './fixtures.js';
import type { InstanceStatus } from '../../src/core/status/types.js';

const ready = (status: InstanceStatus) => ({ state: 'ready' as const, snapshot: snapshotFromStatus(status) });

describe('instance summary', () => {
  it('labels each state for the badge', () => {
    expect(summarizeInstance({ state: 'checking' })).toEqual({ label: 'Checking…', tone: 'neutral', busy: true });
    expect(summarizeInstance(ready(notInstalled)).label).toBe('Not installed');
    expect(summarizeInstance(ready(installedDegraded))).toEqual({ label: 'Installed · v0.14.0 · 5/6 services healthy', tone: 'warning', busy: false });
    expect(summarizeInstance(ready({ ...installedDegraded, services: installedDegraded.services.slice(0, 2), healthy: true }))).toEqual({
      label: 'Installed · v0.14.0 · 2/2 services healthy',
      tone: 'ok',
      busy: false,
    });
    const degradedCheck = { name: 'api', url: 'http://127.0.0.1:8000/v1/health', ok: true, detail: 'HTTP 200, status degraded', degraded: true, reasons: ['providers.openai unhealthy'] };
    expect(summarizeInstance(ready({ ...installedDegraded, services: installedDegraded.services.slice(0, 2), checks: [degradedCheck], healthy: true, degraded: true }))).toEqual({
      label: 'Installed · v0.14.0 · 2/2 services healthy · degraded',
      tone: 'warning',
      busy: false,
    });
    expect(summarizeInstance({ state: 'failed', error: new OpenmatesError('engine-unreachable', 'no socket') })).toMatchObject({ label: 'Docker is not reachable', tone: 'error' });
    expect(summarizeInstance({ state: 'failed', error: new Error('boom') }).label).toBe('Status unknown');
  });

  it('offers Install when absent; start, restart and stop when present, each disabled when it has nothing to do', async () => {
    expect(homeMenuItems(ready(notInstalled)).map((item) => item.label)).toEqual(['Install', 'Settings', 'Quit']);
    const labels = (items: ReturnType<typeof homeMenuItems>) => items.map((item) => [item.label, item.disabled ?? false]);
    // A crashed service: Start first (it starts what is stopped).
    expect(labels(homeMenuItems(ready(installedDegraded)))).toEqual([
      ['Start', false],
      ['Restart', false],
      ['Stop', false],
      ['Logs', false],
      ['Backups', false],
      ['More…', false],
      ['Quit', false],
    ]);
    expect(moreMenuItems().map((item) => item.label)).toEqual(['Reinstall / repair', 'Reset', 'Uninstall', 'Login', 'Runs', 'Settings', '← Back']);
    // Everything up: Start has nothing to do (the cursor starts on Restart); the order stays.
    const allUp = { ...liveSnapshot, services: liveSnapshot.services.filter((s) => s.service !== 'task-worker') };
    expect(labels(homeMenuItems({ state: 'ready', snapshot: allUp })).slice(0, 3)).toEqual([
      ['Start', true],
      ['Restart', false],
      ['Stop', false],
    ]);
    // All stopped: Stop has nothing to do.
    const allDown = { ...liveSnapshot, services: liveSnapshot.services.map((s) => ({ ...s, engineState: 'exited', state: s.state === 'completed' ? s.state : ('exited' as const) })) };
    expect(labels(homeMenuItems({ state: 'ready', snapshot: allDown })).slice(0, 3)).toEqual([
      ['Start', false],
      ['Restart', false],
      ['Stop', true],
    ]);
    expect(summarizeInstance({ state: 'ready', snapshot: allDown }).label).toBe('Installed · v0.14.0 · stopped');
    expect(homeMenuItems({ state: 'failed', error: new Error('x') }).map((item) => item.value)).toEqual(['check-again', 'settings', 'quit']);
  });

  it('after an uninstall that kept the data: reinstall it or delete it', () => {
    const kept = { ...notInstalled, keptData: { project: 'openmates-core', volumes: ['v'], envFile: '/x/.env', note: '/x/UNINSTALLED.txt' } };
    expect(homeMenuItems(ready(kept)).map((item) => item.label)).toEqual(['Reinstall with the kept data', 'Delete the kept data', 'Settings', 'Quit']);
  });

  it('says when the engine is lost or still connecting', () => {
    const lost = { ...liveSnapshot, engine: { state: 'lost' as const, message: 'gone', retryInSeconds: 5 } };
    expect(summarizeInstance({ state: 'ready', snapshot: lost })).toMatchObject({ label: 'Installed · v0.14.0 · Docker is not reachable', tone: 'error' });
    expect(homeMenuItems({ state: 'ready', snapshot: lost }).map((item) => item.value)).toEqual(['check-again', 'repair', 'settings', 'quit']);
    expect(summarizeInstance({ state: 'ready', snapshot: { ...liveSnapshot, engine: { state: 'connecting' } } })).toMatchObject({ busy: true });
  });

  it('moves the menu cursor past disabled items, wrapping around', () => {
    const items = [
      { value: 'a', label: 'A' },
      { value: 'b', label: 'B', disabled: true },
      { value: 'c', label: 'C' },
    ];
    expect(nextEnabledIndex(items, -1, 1)).toBe(0);
    expect(nextEnabledIndex(items, 0, 1)).toBe(2);
    expect(nextEnabledIndex(items, 2, 1)).toBe(0);
    expect(nextEnabledIndex(items, 0, -1)).toBe(2);
    expect(nextEnabledIndex([{ value: 'x', label: 'X', disabled: true }], 0, 1)).toBe(0);
  });
});

describe('an interrupted update in the home menu', () => {
  it('comes first, also while the dashboard is still connecting to Docker', () => {
    const first = { value: 'update' as const, label: 'Finish update to v0.15.0' };
    const connecting = { ...liveSnapshot, engine: { state: 'connecting' as const } };
    expect(homeMenuItems({ state: 'ready', snapshot: connecting }, first)[0]).toEqual(first);
    expect(homeMenuItems({ state: 'ready', snapshot: liveSnapshot }, first)[0]).toEqual(first);
  });
});
