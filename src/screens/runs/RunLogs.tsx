import { Box, Text } from 'ink';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { Spinner } from '../components/Spinner.js';
import { toneColor } from '../components/theme.js';
import { runCommandText, runDurationText, runStatusTone } from './run-cells.js';
import type { RunLogsView } from './use-run-logs.js';

/** A run's output, newest at the bottom (the last `rows` lines), under a line saying what it is and how it is doing. */
export function RunLogs({ id, view, rows }: { id: string; view: RunLogsView; rows: number }) {
  if (view.state === 'loading') {
    return (
      <Text>
        <Spinner /> Reading the output of run {id}…
      </Text>
    );
  }
  if (view.state === 'failed') return <ErrorPanel error={view.error} />;
  const { run, lines } = view;
  const shown = lines.slice(-Math.max(1, rows));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>Run {run.id}</Text> <Text color={toneColor[runStatusTone(run.status)]}>{run.status}</Text>
        {run.exitCode === undefined ? '' : ` · exit ${run.exitCode}`} · {runDurationText(run.durationMs)} <Text dimColor>· {runCommandText(run.command)}</Text>
        {view.state === 'following' ? <Text dimColor> · following</Text> : null}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {shown.length === 0 ? <Text dimColor>{view.state === 'following' ? 'No output yet.' : 'It wrote no output.'}</Text> : null}
        {shown.map((line, index) => (
          <Text key={lines.length - shown.length + index} wrap="truncate-end">
            {line}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
