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

  it('offers Install when absent, repair, Logs and a disabled Uninstall when present', () => {
    expect(homeMenuItems({ state: 'ready', status: notInstalled }).map((item) => item.label)).toEqual(['Install', 'Quit']);
    const installed = homeMenuItems({ state: 'ready', status: installedDegraded });
    expect(installed.map((item) => [item.label, item.disabled ?? false])).toEqual([
      ['Reinstall / repair', false],
      ['Logs', false],
      ['Uninstall', true],
      ['Quit', false],
    ]);
    expect(homeMenuItems({ state: 'failed', error: new Error('x') }).map((item) => item.value)).toEqual(['check-again', 'quit']);
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
