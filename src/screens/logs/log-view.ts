/**
 * What the Logs screen shows of its buffer: live (the newest lines) or paused at a place, which
 * services are hidden, the search and where its current match is. Pure functions over the buffer,
 * so keys are easy to test and the stream never has to stop.
 */
import type { LogEntry } from '../../core/logs/types.js';
import type { LogBuffer } from './log-buffer.js';

/** "since" choices, cycled with `s`: docker --since values (undefined: from the start of the log). */
export const SINCE_CHOICES: readonly (string | undefined)[] = [undefined, '5m', '1h', '24h'];
/** Lines to start with per service, cycled with `l` (undefined: the whole log). */
export const TAIL_CHOICES: readonly (number | undefined)[] = [100, 1000, undefined];

export interface LogViewState {
  paused: boolean;
  /** While paused: the sequence number of the bottom line. */
  anchor: number;
  hidden: ReadonlySet<string>;
  query: string;
  /** The search match the view is at (marked), after `n` / `N`. */
  current: number | undefined;
  timestamps: boolean;
  since: number;
  tail: number;
}

export const initialView = (hidden: ReadonlySet<string> = new Set()): LogViewState => ({
  paused: false,
  anchor: -1,
  hidden,
  query: '',
  current: undefined,
  timestamps: false,
  since: 0,
  tail: 0,
});

export type Keep = (entry: LogEntry) => boolean;

export function shownBy(view: LogViewState): Keep {
  if (view.hidden.size === 0) return () => true;
  return (entry) => !view.hidden.has(entry.service);
}

/** A case-insensitive matcher for the search text (undefined when there is none). */
export function searchPattern(query: string): RegExp | undefined {
  return query === '' ? undefined : new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

export function matchedBy(view: LogViewState): Keep | undefined {
  const pattern = searchPattern(view.query);
  if (!pattern) return undefined;
  const shown = shownBy(view);
  return (entry) => shown(entry) && pattern.test(entry.text);
}

/** The bottom line's sequence number: the newest when live. */
export function bottomOf(view: LogViewState, buffer: LogBuffer): number {
  return view.paused ? Math.max(view.anchor, buffer.oldest) : buffer.newest;
}

export function live(view: LogViewState): LogViewState {
  return { ...view, paused: false, current: undefined };
}

export function togglePause(view: LogViewState, buffer: LogBuffer): LogViewState {
  return view.paused ? live(view) : { ...view, paused: true, anchor: buffer.newest };
}

/** Moves `lines` shown lines back (older); live becomes paused. */
export function scrollUp(view: LogViewState, buffer: LogBuffer, lines: number): LogViewState {
  const from = bottomOf(view, buffer);
  return { ...view, paused: true, anchor: buffer.step(from, lines, -1, shownBy(view)) };
}

/** Moves `lines` shown lines forward; reaching the newest line goes live again. */
export function scrollDown(view: LogViewState, buffer: LogBuffer, lines: number): LogViewState {
  if (!view.paused) return view;
  const keep = shownBy(view);
  const anchor = buffer.step(bottomOf(view, buffer), lines, 1, keep);
  return buffer.find(anchor, 1, keep) === undefined ? live(view) : { ...view, anchor };
}

/** The oldest lines in the buffer, a screenful of them. */
export function scrollToOldest(view: LogViewState, buffer: LogBuffer, height: number): LogViewState {
  const keep = shownBy(view);
  const first = buffer.find(buffer.oldest - 1, 1, keep);
  if (first === undefined) return view;
  return { ...view, paused: true, anchor: buffer.step(first, Math.max(0, height - 1), 1, keep) };
}

/** Goes to the previous (older, -1) or next (newer, +1) search match, showing it mid-screen. */
export function jumpToMatch(view: LogViewState, buffer: LogBuffer, direction: 1 | -1, height: number): LogViewState {
  const matches = matchedBy(view);
  if (!matches) return view;
  const from = view.current ?? (direction === -1 ? buffer.newest + 1 : bottomOf(view, buffer));
  const found = buffer.find(from, direction, matches);
  if (found === undefined) return direction === 1 ? live(view) : view;
  const anchor = buffer.step(found, Math.floor(height / 2), 1, shownBy(view));
  return { ...view, paused: true, current: found, anchor };
}

export function withHidden(view: LogViewState, hidden: ReadonlySet<string>): LogViewState {
  return { ...view, hidden, current: undefined };
}

export function withQuery(view: LogViewState, query: string): LogViewState {
  return { ...view, query, current: undefined };
}
