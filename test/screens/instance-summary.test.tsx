import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import { nextEnabledIndex } from '../../src/screens/components/Menu.js';
import { homeMenuItems, summarizeInstance } from '../../src/screens/instance-summary.js';
import { installedDegraded, notInstalled } from './fixtures.js';

describe('instance summary', () => {
  it('labels each state for the badge', () => {
    expect(summarizeInstance({ state: 'checking' })).toEqual({ label: 'Checking…', tone: 'neutral', busy: true });
    expect(summarizeInstance({ state: 'ready', status: notInstalled }).label).toBe('Not installed');
    expect(summarizeInstance({ state: 'ready', status: installedDegraded })).toEqual({ label: 'Installed · v0.14.0 · 5/6 services healthy', tone: 'warning', busy: false });
    expect(summarizeInstance({ state: 'ready', status: { ...installedDegraded, services: installedDegraded.services.slice(0, 2), healthy: true } })).toEqual({
      label: 'Installed · v0.14.0 · 2/2 services healthy',
      tone: 'ok',
      busy: false,
    });
    expect(summarizeInstance({ state: 'failed', error: new OpenmatesError('engine-unreachable', 'no socket') })).toMatchObject({ label: 'Docker is not reachable', tone: 'error' });
    expect(summarizeInstance({ state: 'failed', error: new Error('boom') }).label).toBe('Status unknown');
  });

  it('offers Install when absent; repair, reset, uninstall when present; reinstall or delete after an uninstall that kept data', () => {
    expect(homeMenuItems({ state: 'ready', status: notInstalled }).map((item) => item.label)).toEqual(['Install', 'Settings', 'Quit']);
    const installed = homeMenuItems({ state: 'ready', status: installedDegraded });
    expect(installed.map((item) => [item.value, item.disabled ?? false])).toEqual([
      ['repair', false],
      ['reset', false],
      ['uninstall', false],
      ['settings', false],
      ['quit', false],
    ]);
    const kept = homeMenuItems({ state: 'ready', status: { ...notInstalled, keptData: { project: 'openmates-core', volumes: ['v'], envFile: '/x/.env', note: '/x/UNINSTALLED.txt' } } });
    expect(kept.map((item) => item.label)).toEqual(['Reinstall with the kept data', 'Delete the kept data', 'Settings', 'Quit']);
    expect(homeMenuItems({ state: 'failed', error: new Error('x') }).map((item) => item.value)).toEqual(['check-again', 'settings', 'quit']);
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
