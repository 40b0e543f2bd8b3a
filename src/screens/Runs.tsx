import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { cancelRun, type RunEngine, type RunInfo } from '../core/runs/index.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { symbols } from './components/theme.js';
import { runCommandText } from './runs/run-cells.js';
import { RunLogs } from './runs/RunLogs.js';
import { RunTable } from './runs/RunTable.js';
import { useRunLogs } from './runs/use-run-logs.js';
import { useRuns } from './runs/use-runs.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Rows around the body: header (2), padding (1), footer (2), the free last row (1), the table's title and a note (2). */
const CHROME_ROWS = 8;

export interface RunsProps {
  /** The engine's runs (the core's RunEngine; connectRunEngine outside tests). */
  connect: () => Promise<RunEngine>;
  onBack: () => void;
  refreshMs?: number;
}

type Mode =
  | { name: 'list' }
  | { name: 'logs'; id: string }
  | { name: 'confirm-cancel'; run: RunInfo }
  | { name: 'cancelling'; run: RunInfo };

type Note = { tone: 'ok' | 'error'; text: string } | { tone: 'failed'; error: unknown };

/**
 * Isolated runs (`openmates run`): the list, read again every 2 s; Enter opens a run's output
 * (followed while it runs); `c` cancels the selected running run after a y/n question.
 */
export function Runs({ connect, onBack, refreshMs }: RunsProps) {
  const [round, setRound] = useState(0);
  const { view, engine } = useRuns(connect, round, refreshMs);
  const [mode, setMode] = useState<Mode>({ name: 'list' });
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [note, setNote] = useState<Note | undefined>();
  const { rows } = useTerminalSize();

  const runs = view.state === 'ready' ? view.runs : [];
  // The selection follows its run as the list refreshes (new runs come in at the top).
  const found = runs.findIndex((run) => run.id === selectedId);
  const selected = found >= 0 ? found : 0;
  const selectedRun = runs[selected];
  useEffect(() => {
    if (selectedRun && selectedRun.id !== selectedId) setSelectedId(selectedRun.id);
  }, [selectedRun, selectedId]);

  const cancel = (run: RunInfo) => {
    if (!engine) return;
    setMode({ name: 'cancelling', run });
    cancelRun(engine, run.id).then(
      (ended) => {
        setNote(ended.status === 'cancelled' ? { tone: 'ok', text: `Run ${ended.id} cancelled; its output stays until it is removed.` } : { tone: 'ok', text: `Run ${ended.id} had already ended (${ended.status}).` });
        setMode({ name: 'list' });
        setRound((value) => value + 1); // read the list again now, not at the next refresh
      },
      (error: unknown) => {
        setNote({ tone: 'failed', error });
        setMode({ name: 'list' });
      },
    );
  };

  useInput((input, key) => {
    if (mode.name === 'cancelling') return;
    if (mode.name === 'confirm-cancel') {
      if (input === 'y') cancel(mode.run);
      else if (input === 'n' || key.escape) setMode({ name: 'list' });
      return;
    }
    if (mode.name === 'logs') {
      if (key.escape || input === 'q') setMode({ name: 'list' });
      return;
    }
    if (key.escape || input === 'q') onBack();
    else if (view.state === 'failed' && input === 'r') setRound((value) => value + 1);
    else if (key.upArrow && selected > 0) setSelectedId(runs[selected - 1]!.id);
    else if (key.downArrow && selected < runs.length - 1) setSelectedId(runs[selected + 1]!.id);
    else if (key.return && selectedRun && engine) {
      setNote(undefined);
      setMode({ name: 'logs', id: selectedRun.id });
    } else if (input === 'c' && selectedRun) {
      if (selectedRun.status === 'running' || selectedRun.status === 'created') setMode({ name: 'confirm-cancel', run: selectedRun });
      else setNote({ tone: 'error', text: `Run ${selectedRun.id} is ${selectedRun.status}; only a running run can be cancelled.` });
    }
  });

  if (mode.name === 'logs' && engine) {
    return (
      <ScreenFrame section={`Runs › ${mode.id}`} hints={[{ keys: 'esc', action: 'back to the runs' }]}>
        <RunOutput engine={engine} id={mode.id} rows={Math.max(3, rows - CHROME_ROWS)} />
      </ScreenFrame>
    );
  }

  const hints: KeyHint[] =
    mode.name === 'confirm-cancel'
      ? [
          { keys: 'y', action: 'cancel the run' },
          { keys: 'n', action: 'keep it running' },
        ]
      : view.state === 'failed'
        ? [
            { keys: 'r', action: 'try again' },
            { keys: 'esc', action: 'back' },
          ]
        : [
            { keys: '↑↓', action: 'move' },
            ...(selectedRun ? [{ keys: 'enter', action: 'logs' }] : []),
            ...(selectedRun?.status === 'running' ? [{ keys: 'c', action: 'cancel' }] : []),
            { keys: 'esc', action: 'back' },
          ];

  return (
    <ScreenFrame section="Runs" hints={hints}>
      {view.state === 'loading' ? (
        <Text>
          <Spinner /> Reading the runs…
        </Text>
      ) : null}
      {view.state === 'failed' ? <ErrorPanel error={view.error} /> : null}
      {view.state === 'ready' && runs.length === 0 ? <Text dimColor>No runs yet. Start one with: openmates run --image IMAGE -- COMMAND</Text> : null}
      {view.state === 'ready' && runs.length > 0 ? <RunTable runs={runs} selected={selected} rows={Math.max(3, rows - CHROME_ROWS - 2)} /> : null}
      <Box marginTop={1} flexDirection="column">
        {mode.name === 'confirm-cancel' ? (
          <Text color="yellow" wrap="truncate-end">
            {symbols.warning} Cancel run {mode.run.id} ({runCommandText(mode.run.command)})? Its container is stopped; its output stays. [y/n]
          </Text>
        ) : null}
        {mode.name === 'cancelling' ? (
          <Text>
            <Spinner /> Cancelling run {mode.run.id}…
          </Text>
        ) : null}
        {mode.name === 'list' && note?.tone === 'failed' ? <ErrorPanel error={note.error} /> : null}
        {mode.name === 'list' && note && note.tone !== 'failed' ? (
          <Text color={note.tone === 'ok' ? 'green' : 'yellow'} wrap="truncate-end">
            {note.tone === 'ok' ? symbols.ok : symbols.warning} {note.text}
          </Text>
        ) : null}
      </Box>
    </ScreenFrame>
  );
}

function RunOutput({ engine, id, rows }: { engine: RunEngine; id: string; rows: number }) {
  const view = useRunLogs(engine, id);
  return <RunLogs id={id} view={view} rows={rows} />;
}
