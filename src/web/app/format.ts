export { formatBytes } from '../../core/format-bytes.js';

/** "12 s ago", "4 min ago", "2 h ago". */
export function ageText(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

export function uptimeText(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

/** The health word's tone, for its colour: healthy/running good, starting/degraded waiting, the rest bad. */
export function healthTone(word: string | undefined): 'ok' | 'wait' | 'error' | 'info' {
  if (word === undefined) return 'info';
  if (/^(healthy|running|completed|ok)$/i.test(word)) return 'ok';
  if (/^(starting|degraded|restarting|created|paused)$/i.test(word)) return 'wait';
  return 'error';
}
