/** Engine log timestamps (RFC 3339, UTC, up to nanoseconds) as keys that sort as text. */

const RFC3339_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** "2024-05-01T12:00:00.5Z" → "2024-05-01T12:00:00.500000000Z": equal times give equal keys, later ones larger. */
export function timeKey(time: string): string {
  // The engine writes nine digits already (RFC3339NanoFixed): the common case costs nothing.
  if (time.length === 30 && time.charCodeAt(29) === 90 /* Z */) return time;
  const match = RFC3339_UTC.exec(time);
  if (match) return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z`;
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('Z', '000000Z') : time;
}

/** An event time (ms since the epoch) as an engine-style timestamp. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000000Z');
}

/** An engine timestamp as Unix seconds (to about a microsecond), for the engine's `since`. */
export function timeSeconds(time: string): number {
  const key = timeKey(time);
  const whole = Date.parse(`${key.slice(0, 19)}Z`) / 1000;
  return whole + Number(`0.${key.slice(20, 29)}`);
}
