import { Box, Text } from 'ink';
import type { RunInfo } from '../../core/runs/index.js';
import { symbols, toneColor } from '../components/theme.js';
import { runCommandText, runDurationText, runStartedText, runStatusTone } from './run-cells.js';

const COLUMNS = [
  { title: 'ID', width: 10 },
  { title: 'STATUS', width: 11 },
  { title: 'EXIT', width: 5 },
  { title: 'STARTED (UTC)', width: 20 },
  { title: 'DURATION', width: 9 },
] as const;
const REPO_WIDTH = 26;

function Cell({ width, children, color, bold = false, dim = false }: { width: number; children: string; color?: string | undefined; bold?: boolean; dim?: boolean }) {
  return (
    <Box width={width} flexShrink={0}>
      <Text bold={bold} dimColor={dim} {...(color ? { color } : {})} wrap="truncate-end">
        {children}
      </Text>
    </Box>
  );
}

/** The runs, newest first, one row each; the selected one has the pointer. */
export function RunTable({ runs, selected, rows }: { runs: RunInfo[]; selected: number; rows: number }) {
  // Keep the selected row in view when there are more runs than rows.
  const first = Math.min(Math.max(0, selected - rows + 1), Math.max(0, runs.length - rows));
  const shown = runs.slice(first, first + rows);
  return (
    <Box flexDirection="column">
      <Box>
        <Cell width={2}>{''}</Cell>
        {COLUMNS.map((column) => (
          <Cell key={column.title} width={column.width} dim>
            {column.title}
          </Cell>
        ))}
        <Cell width={REPO_WIDTH} dim>
          REPO@BRANCH
        </Cell>
        <Text dimColor wrap="truncate-end">
          COMMAND
        </Text>
      </Box>
      {shown.map((run, index) => {
        const isSelected = first + index === selected;
        return (
          <Box key={run.id}>
            <Cell width={2} color={toneColor.accent}>
              {isSelected ? symbols.pointer : ''}
            </Cell>
            <Cell width={COLUMNS[0].width} bold={isSelected}>
              {run.id}
            </Cell>
            <Cell width={COLUMNS[1].width} color={toneColor[runStatusTone(run.status)]}>
              {run.status}
            </Cell>
            <Cell width={COLUMNS[2].width}>{run.exitCode === undefined ? '-' : String(run.exitCode)}</Cell>
            <Cell width={COLUMNS[3].width}>{runStartedText(run)}</Cell>
            <Cell width={COLUMNS[4].width}>{runDurationText(run.durationMs)}</Cell>
            <Box width={REPO_WIDTH} flexShrink={0} paddingRight={1}>
              <Text wrap="truncate-start">{`${run.repo}@${run.branch}`}</Text>
            </Box>
            <Text wrap="truncate-end">{runCommandText(run.command)}</Text>
          </Box>
        );
      })}
      {runs.length > shown.length ? <Text dimColor>{`  ${runs.length - shown.length} more (↑↓ scrolls)`}</Text> : null}
    </Box>
  );
}
