import { useEffect, useState } from 'react';

/** The time, re-read every `intervalMs` while `active` (for countdowns). */
export function useClock(active: boolean, now: () => number = Date.now, intervalMs = 1000): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return;
    setTime(now());
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, now, intervalMs]);
  return time;
}

/** m:ss, never negative. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
