export const CAST_EXTENSION = '.cast';

/** `<ISO start time, ":" as "-">-<terminal id>`: sorts by start time, no spaces, safe in a path. */
export function recordingName(startedAt: Date, terminalId: string): string {
  return `${startedAt.toISOString().replaceAll(':', '-')}-${terminalId}`;
}

/** A name as a user may type it (with or without .cast) → the name, or undefined when it cannot be one of ours. */
export function normalizeRecordingName(text: string): string | undefined {
  const name = text.endsWith(CAST_EXTENSION) ? text.slice(0, -CAST_EXTENSION.length) : text;
  return /^[0-9A-Za-z][0-9A-Za-z._-]*$/.test(name) ? name : undefined;
}

/** The terminal id part of a name (for a cast whose header does not say). */
export function terminalOfName(name: string): string {
  return /-(t-[0-9a-z]+)$/.exec(name)?.[1] ?? name;
}
