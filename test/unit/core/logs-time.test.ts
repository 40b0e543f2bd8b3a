import { describe, expect, it } from 'vitest';
import { timeKey } from '../../../src/core/logs/log-time.js';
import { durationSeconds, parseSince } from '../../../src/core/logs/since.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');

describe('parseSince (docker --since)', () => {
  it('reads durations back from now', () => {
    expect(parseSince('10m', NOW)).toBe(NOW / 1000 - 600);
    expect(parseSince('2h', NOW)).toBe(NOW / 1000 - 7200);
    expect(parseSince('1h30m15s', NOW)).toBe(NOW / 1000 - 5415);
    expect(parseSince('1.5h', NOW)).toBe(NOW / 1000 - 5400);
    expect(durationSeconds('250ms')).toBe(0.25);
  });

  it('reads Unix seconds and RFC 3339 times', () => {
    expect(parseSince('1714564800', NOW)).toBe(1714564800);
    expect(parseSince('1714564800.5', NOW)).toBe(1714564800.5);
    expect(parseSince('2026-05-01T11:00:00Z', NOW)).toBe(NOW / 1000 - 3600);
    expect(parseSince('2026-05-01T13:00:00+02:00', NOW)).toBe(NOW / 1000 - 3600);
    expect(parseSince('2026-05-01', NOW)).toBe(new Date(2026, 4, 1).getTime() / 1000);
  });

  it('refuses what docker would refuse, saying which forms work', () => {
    for (const bad of ['', '10', 'yesterday', '10 m', '5d', '-1h', '2026-13-45']) {
      if (bad === '10') continue; // bare numbers are Unix seconds, as for docker
      expect(() => parseSince(bad, NOW), bad).toThrow(/Cannot read ".*" as a time/);
    }
  });
});

describe('timeKey', () => {
  it('orders engine timestamps of any precision as text', () => {
    expect(timeKey('2026-05-01T12:00:00.5Z')).toBe('2026-05-01T12:00:00.500000000Z');
    expect(timeKey('2026-05-01T12:00:00Z')).toBe('2026-05-01T12:00:00.000000000Z');
    expect(timeKey('2026-05-01T12:00:00.1Z') > timeKey('2026-05-01T12:00:00.09Z')).toBe(true);
    expect(timeKey('2026-05-01T12:00:00.123456789Z')).toBe('2026-05-01T12:00:00.123456789Z');
  });
});
