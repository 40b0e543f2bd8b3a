import { Box, Text } from 'ink';
import type { DashboardService, DashboardSnapshot } from '../../core/dashboard/types.js';
import { symbols, toneColor } from '../components/theme.js';
import { ServicesTable } from './ServicesTable.js';
import { attentionText, attentionTone } from './service-rows.js';

export interface DashboardProps {
  snapshot: DashboardSnapshot;
  width: number;
  /** Rows for the table, the hint and the engine line together. */
  rows: number;
  /** The service the `l` hint is about (one of those needing attention). */
  focused?: DashboardService;
  /** How many services need attention (tab moves between them). */
  attentionCount: number;
  /** Whether `l` opens logs; without it the hint only names the problem. */
  logsAvailable: boolean;
  now: number;
}

/** The services table, the one-line hint for a service that needs attention, and the engine's state. */
export function Dashboard({ snapshot, width, rows, focused, attentionCount, logsAvailable, now }: DashboardProps) {
  const engineLost = snapshot.engine.state === 'lost' ? snapshot.engine : undefined;
  // Failing checks first, then degraded ones: both stand out, in their own colour.
  const failingChecks = [...snapshot.checks.filter((check) => !check.ok), ...snapshot.checks.filter((check) => check.ok && check.degraded)];
  const extraRows = (engineLost ? (engineLost.hint ? 3 : 2) : 0) + (focused ? 1 : 0) + Math.min(2, failingChecks.length);
  return (
    <Box flexDirection="column">
      {engineLost ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Text color="red">{symbols.error}</Text> <Text bold>{engineLost.message}</Text>
          </Text>
          {engineLost.hint ? (
            <Text wrap="truncate-end">
              {'  '}
              <Text color="cyan">{symbols.hint}</Text> {engineLost.hint}
            </Text>
          ) : null}
          <Text dimColor wrap="truncate-end">
            {'  '}trying again every {engineLost.retryInSeconds} s (r: now) · the services below are as last seen
          </Text>
        </Box>
      ) : null}
      {snapshot.services.length > 0 ? (
        <ServicesTable services={snapshot.services} width={width} maxRows={Math.max(2, rows - extraRows)} now={now} stale={engineLost !== undefined} />
      ) : snapshot.engine.state === 'live' ? (
        <Text dimColor>No containers yet: start the stack.</Text>
      ) : null}
      {failingChecks.slice(0, 2).map((check) => (
        <Text key={check.name} wrap="truncate-end">
          {check.ok ? (
            <>
              <Text color="yellow">{symbols.warning}</Text> {check.name} is degraded{check.reasons && check.reasons.length > 0 ? ': ' : ''}
              <Text dimColor>{check.reasons?.join(', ')}</Text>
            </>
          ) : (
            <>
              <Text color="red">{symbols.error}</Text> health check {check.name} <Text dimColor>{check.detail}</Text>
            </>
          )}
        </Text>
      ))}
      {focused ? (
        <Text wrap="truncate-end">
          <Text color={toneColor[attentionTone(focused)]}>{symbols.hint} {attentionText(focused)}</Text>
          {logsAvailable ? <Text> · press <Text bold>l</Text> for its logs</Text> : null}
          {attentionCount > 1 ? <Text dimColor> · tab: next of {attentionCount}</Text> : null}
        </Text>
      ) : null}
    </Box>
  );
}
