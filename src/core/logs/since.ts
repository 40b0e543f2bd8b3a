/**
 * `--since` as docker reads it: a Go duration back from now ("10m", "1h30m", "1.5h", "250ms"),
 * Unix seconds ("1714564800", "1714564800.5"), or a time ("2024-05-01", "2024-05-01T12:00:00Z",
 * "2024-05-01T14:00:00+02:00"; without a zone it is local time, as for docker).
 */
import { OpenmatesError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const UNIX_SECONDS = /^\d+(?:\.\d+)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Seconds in a Go-style duration, or undefined when `text` is not one. */
export function durationSeconds(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(DURATION_PART)) seconds += Number(amount) * UNIT_SECONDS[unit!]!;
  return seconds;
}

/** The Unix time (seconds) `text` stands for, `nowMs` being now; throws a usage error naming the forms it takes. */
export function parseSince(text: string, nowMs: number = Date.now()): number {
  const value = text.trim();
  const duration = durationSeconds(value);
  if (duration !== undefined) return nowMs / 1000 - duration;
  if (UNIX_SECONDS.test(value)) return Number(value);
  if (DATE_TIME.test(value)) {
    // A date alone is midnight local time (JavaScript would take it as UTC).
    const normalized = value.length === 10 ? `${value}T00:00:00` : value.replace(' ', 'T');
    const ms = Date.parse(normalized);
    if (Number.isFinite(ms)) return ms / 1000;
  }
  throw new OpenmatesError(
    'usage',
    `Cannot read "${text}" as a time to show logs since.`,
    'Give a duration back from now like 10m, 2h or 30s, or a time like 2024-05-01T12:00:00Z.',
  );
}
