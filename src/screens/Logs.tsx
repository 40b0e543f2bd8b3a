import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Operations } from '../core/operations.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { LogBuffer } from './logs/log-buffer.js';
import { LogLines } from './logs/LogLines.js';
import { LogStatus } from './logs/LogStatus.js';
import {
  bottomOf,
  initialView,
  jumpToMatch,
  live,
  matchedBy,
  scrollDown,
  scrollToOldest,
  scrollUp,
  searchPattern,
  shownBy,
  SINCE_CHOICES,
  TAIL_CHOICES,
  togglePause,
  withHidden,
  withQuery,
  type LogViewState,
} from './logs/log-view.js';
import { ServiceFilter } from './logs/ServiceFilter.js';
import { limitHeapGrowth } from './heap-growth.js';
import { useLogStream } from './logs/use-log-stream.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Lines kept for scrolling back; older ones are dropped as new ones arrive. */
export const DEFAULT_LOG_CAPACITY = 5_000;
/** And at most this much of them (see entryBytes): 5,000 lines of up to ~800 characters each. */
export const DEFAULT_LOG_BYTES = 4 * 1024 * 1024;
/** Rows around the log lines: header (2), padding (1), status (1), footer (2), and the free last row. */
const CHROME_ROWS = 7;

export interface LogsProps {
  operations: Operations;
  installDir: string;
  onBack: () => void;
  /** Show only these services at first (e.g. when opened for one service). */
  services?: readonly string[];
  /** Lines to start with per service: one of TAIL_CHOICES (default the first), or 'all' for the whole log. */
  tail?: number | 'all';
  capacity?: number;
  /** The buffer's bound in bytes (see entryBytes), beside its bound in lines. */
  maxBytes?: number;
  /** Called each time new lines are drawn (benchmarks count redraws with it). */
  onRedraw?: () => void;
}

type Mode = 'view' | 'filter' | 'search';

/**
 * Every service's log, live, newest at the bottom, one colour per service. The stream keeps
 * flowing into a bounded buffer whatever the view does: pause and scroll back, filter services,
 * search with highlighted matches, change since / lines and timestamps.
 */
export function Logs({ operations, installDir, onBack, services: onlyServices, tail, capacity = DEFAULT_LOG_CAPACITY, maxBytes = DEFAULT_LOG_BYTES, onRedraw }: LogsProps) {
  const buffer = useMemo(() => new LogBuffer(capacity, maxBytes), [capacity, maxBytes]);
  useEffect(limitHeapGrowth, []);
  const [view, setView] = useState<LogViewState>(() => ({ ...initialView(), tail: tail === undefined ? 0 : Math.max(0, TAIL_CHOICES.indexOf(tail === 'all' ? undefined : tail)) }));
  const [mode, setMode] = useState<Mode>('view');
  const [attempt, setAttempt] = useState(0);
  const choice = useMemo(() => ({ since: SINCE_CHOICES[view.since], tail: TAIL_CHOICES[view.tail] }), [view.since, view.tail]);
  const { state } = useLogStream(operations, installDir, choice, buffer, attempt, onRedraw);
  const info = state.status === 'starting' ? undefined : state.info;
  const services = info?.services ?? [];
  const { columns, rows } = useTerminalSize();
  const failed = state.status === 'failed';
  const height = Math.max(3, rows - CHROME_ROWS - (failed ? 4 : 0));

  // Opened for some services: hide the others once the instance's services are known.
  const filterApplied = useRef(false);
  useEffect(() => {
    if (!info || filterApplied.current || !onlyServices || onlyServices.length === 0) return;
    filterApplied.current = true;
    const hidden = info.services.filter((service) => !onlyServices.includes(service));
    if (hidden.length < info.services.length) setView((current) => withHidden(current, new Set(hidden)));
  }, [info, onlyServices]);

  useInput(
    (input, key) => {
      if (mode === 'search') {
        if (key.escape) {
          setView((current) => withQuery(current, ''));
          setMode('view');
        } else if (key.return) setMode('view');
        else if (key.backspace || key.delete) setView((current) => withQuery(current, current.query.slice(0, -1)));
        else if (input && !key.ctrl && !key.meta) setView((current) => withQuery(current, current.query + input));
        return;
      }
      if (key.escape) {
        if (view.query !== '') setView((current) => withQuery(current, ''));
        else onBack();
      } else if (input === 'q') onBack();
      else if (input === ' ' || input === 'p') setView((current) => togglePause(current, buffer));
      else if (key.upArrow || input === 'k') setView((current) => scrollUp(current, buffer, 1));
      else if (key.downArrow || input === 'j') setView((current) => scrollDown(current, buffer, 1));
      else if (key.pageUp || input === 'b') setView((current) => scrollUp(current, buffer, height - 1));
      else if (key.pageDown) setView((current) => scrollDown(current, buffer, height - 1));
      else if (input === 'g' || key.home) setView((current) => scrollToOldest(current, buffer, height));
      else if (input === 'G' || key.end) setView(live);
      else if (input === '/') setMode('search');
      else if (input === 'n') setView((current) => jumpToMatch(current, buffer, -1, height));
      else if (input === 'N') setView((current) => jumpToMatch(current, buffer, 1, height));
      else if (input === 'f' && services.length > 0) setMode('filter');
      else if (input === 't') setView((current) => ({ ...current, timestamps: !current.timestamps }));
      else if (input === 's') setView((current) => live({ ...current, since: (current.since + 1) % SINCE_CHOICES.length }));
      else if (input === 'l') setView((current) => live({ ...current, tail: (current.tail + 1) % TAIL_CHOICES.length }));
      else if (input === 'r' && failed) setAttempt((count) => count + 1);
    },
    { isActive: mode !== 'filter' },
  );

  const keep = shownBy(view);
  const lines = buffer.window(bottomOf(view, buffer), height, keep);
  const pattern = searchPattern(view.query);
  const matches = matchedBy(view);
  const width = Math.max(10, columns - 2);

  return (
    <ScreenFrame section="Logs" hints={hintsFor(mode, view, failed)}>
      <LogStatus
        state={state}
        view={view}
        searching={mode === 'search'}
        shownServices={services.length - services.filter((service) => view.hidden.has(service)).length}
        totalServices={services.length}
        newer={view.paused ? Math.max(0, buffer.newest - bottomOf(view, buffer)) : 0}
        matches={matches ? buffer.count(matches) : undefined}
      />
      {failed ? (
        <Box marginY={1} height={3} overflow="hidden">
          <ErrorPanel error={state.error} maxDetails={0} />
        </Box>
      ) : null}
      {mode === 'filter' ? (
        <ServiceFilter services={services} hidden={view.hidden} onChange={(hidden) => setView((current) => withHidden(current, hidden))} onClose={() => setMode('view')} />
      ) : lines.length === 0 ? (
        <Text dimColor>{state.status === 'starting' ? 'Connecting to the logs…' : buffer.size === 0 ? 'No log lines yet; new ones appear here as the services write them.' : 'No lines of the shown services in the buffer.'}</Text>
      ) : (
        <LogLines lines={lines} services={services} width={width} timestamps={view.timestamps} pattern={pattern} current={view.current} />
      )}
    </ScreenFrame>
  );
}

function hintsFor(mode: Mode, view: LogViewState, failed: boolean): KeyHint[] {
  if (mode === 'filter') {
    return [
      { keys: '↑↓', action: 'move' },
      { keys: 'space', action: 'show/hide' },
      { keys: 'a', action: 'all / only this' },
      { keys: 'enter', action: 'done' },
    ];
  }
  if (mode === 'search') {
    return [
      { keys: 'type', action: 'search' },
      { keys: 'enter', action: 'done' },
      { keys: 'esc', action: 'clear' },
    ];
  }
  return [
    { keys: 'space', action: view.paused ? 'live' : 'pause' },
    { keys: '↑↓', action: 'scroll' },
    { keys: '/', action: 'search' },
    ...(view.query ? [{ keys: 'n/N', action: 'older/newer match' }] : []),
    { keys: 'f', action: 'services' },
    { keys: 't', action: 'time' },
    { keys: 's', action: 'since' },
    { keys: 'l', action: 'lines' },
    ...(failed ? [{ keys: 'r', action: 'reconnect' }] : []),
    { keys: 'esc', action: 'back' },
  ];
}
