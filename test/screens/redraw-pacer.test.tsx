import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS, RedrawPacer } from '../../src/screens/logs/redraw-pacer.js';

describe('RedrawPacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function pacer(drawCostMs = 0) {
    let draws = 0;
    const instance: RedrawPacer = new RedrawPacer(
      () => {
        draws++;
        vi.advanceTimersByTime(drawCostMs);
        instance.drawn();
      },
      () => Date.now(),
    );
    return { instance, draws: () => draws };
  }

  it('draws once for many requests, and at most every 33 ms while lines keep coming', () => {
    const { instance, draws } = pacer();
    for (let ms = 0; ms < 1000; ms++) {
      instance.request();
      vi.advanceTimersByTime(1);
    }
    expect(draws()).toBeGreaterThanOrEqual(Math.floor(1000 / MIN_INTERVAL_MS) - 1);
    expect(draws()).toBeLessThanOrEqual(Math.ceil(1000 / MIN_INTERVAL_MS) + 1);
  });

  it('spaces expensive redraws further apart, never beyond the maximum', () => {
    const slow = pacer(40);
    const started = Date.now();
    for (let ms = 0; ms < 2000; ms++) {
      slow.instance.request();
      vi.advanceTimersByTime(1);
    }
    expect(slow.instance.interval).toBe(120);
    expect(slow.draws()).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 120) + 2);
    const verySlow = pacer(200);
    verySlow.instance.request();
    vi.advanceTimersByTime(300);
    expect(verySlow.instance.interval).toBe(MAX_INTERVAL_MS);
  });

  it('does nothing after stop', () => {
    const { instance, draws } = pacer();
    instance.request();
    instance.stop();
    instance.request();
    vi.advanceTimersByTime(1000);
    expect(draws()).toBe(0);
  });
});
