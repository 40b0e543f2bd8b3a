/**
 * asciicast v2 (the asciinema format): newline-delimited JSON, a header object on the first line,
 * then one `[seconds since the start, code, data]` array per line; "o" is output, "r" a resize
 * ("COLSxROWS"). v2 has no end event. Our own facts (terminal, device) go in an extra header
 * field, `openmates`: the spec lists no such field and forbids none, and asciinema's players and
 * its CLI read the fields they know and pass over the others.
 */

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix time of the start, in seconds. */
  timestamp: number;
  title: string;
  env: { TERM: string; SHELL: string };
  openmates: CastFacts;
}

export interface CastFacts {
  terminal: string;
  device: { id: string; name: string };
  /** ISO time of the start (to the millisecond; `timestamp` has whole seconds). */
  startedAt: string;
}

export type CastEvent = { time: number; code: 'o'; data: string } | { time: number; code: 'r'; data: string };

export function castHeaderLine(header: CastHeader): string {
  return `${JSON.stringify(header)}\n`;
}

/** Microseconds are as fine as players use. */
export function castEventLine(event: CastEvent): string {
  return `${JSON.stringify([Math.round(event.time * 1e6) / 1e6, event.code, event.data])}\n`;
}

/** The header of a cast we can list (version 2, a size); undefined for anything else. */
export function parseCastHeader(line: string): (Partial<CastHeader> & { width: number; height: number }) | undefined {
  try {
    const header = JSON.parse(line) as Partial<CastHeader>;
    if (header?.version !== 2 || !Number.isInteger(header.width) || !Number.isInteger(header.height)) return undefined;
    return header as Partial<CastHeader> & { width: number; height: number };
  } catch {
    return undefined;
  }
}

/** An event line as [time, code, data]; undefined for a line that is not one (e.g. cut off by a full disk). */
export function parseCastEvent(line: string): { time: number; code: string; data: string } | undefined {
  try {
    const event = JSON.parse(line) as unknown;
    if (!Array.isArray(event) || event.length !== 3) return undefined;
    const [time, code, data] = event as [unknown, unknown, unknown];
    if (typeof time !== 'number' || typeof code !== 'string' || typeof data !== 'string') return undefined;
    return { time, code, data };
  } catch {
    return undefined;
  }
}
