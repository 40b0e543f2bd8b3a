import { Box, Text } from 'ink';
import { Spinner } from '../components/Spinner.js';
import { symbols } from '../components/theme.js';
import { SINCE_CHOICES, TAIL_CHOICES, type LogViewState } from './log-view.js';
import type { LogStreamState } from './use-log-stream.js';

const count = (n: number) => n.toLocaleString('en-US');

/** One line above the logs: live or paused, what is shown, and the search. */
export function LogStatus({
  state,
  view,
  searching,
  shownServices,
  totalServices,
  newer,
  matches,
}: {
  state: LogStreamState;
  view: LogViewState;
  searching: boolean;
  shownServices: number;
  totalServices: number;
  newer: number;
  matches: number | undefined;
}) {
  const since = SINCE_CHOICES[view.since];
  const tail = TAIL_CHOICES[view.tail];
  return (
    <Box flexShrink={0}>
      <Text wrap="truncate-end">
        {state.status === 'starting' ? (
          <Text>
            <Spinner /> connecting
          </Text>
        ) : state.status === 'failed' ? (
          <Text color="red">{symbols.error} stopped</Text>
        ) : state.status === 'ended' ? (
          <Text dimColor>ended</Text>
        ) : view.paused ? (
          <Text color="yellow">‖ paused{newer > 0 ? ` · ${count(newer)} newer lines` : ''}</Text>
        ) : (
          <Text color="green">{symbols.badge} live</Text>
        )}
        <Text dimColor>
          {' · '}
          {shownServices === totalServices ? `${totalServices} services` : `${shownServices} of ${totalServices} services`}
          {' · '}
          {since ? `since ${since} ago` : 'from the start'}
          {' · '}
          {tail === undefined ? 'whole log' : `last ${count(tail)} lines each`}
        </Text>
        {searching || view.query ? (
          <Text>
            {' · '}
            <Text color="cyan">/{view.query}</Text>
            {searching ? <Text inverse> </Text> : null}
            {matches !== undefined ? <Text dimColor> {count(matches)} {matches === 1 ? 'match' : 'matches'}</Text> : null}
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}
