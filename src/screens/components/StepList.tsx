import { Box, Text } from 'ink';
import type { StepState, StepView } from '../install-progress.js';
import { Spinner } from './Spinner.js';
import { symbols, toneColor, type Tone } from './theme.js';

const STATE_MARK: Record<Exclude<StepState, 'running'>, { symbol: string; tone: Tone | 'dim' }> = {
  pending: { symbol: symbols.pending, tone: 'dim' },
  done: { symbol: symbols.ok, tone: 'ok' },
  skipped: { symbol: symbols.skipped, tone: 'dim' },
  warning: { symbol: symbols.warning, tone: 'warning' },
  failed: { symbol: symbols.error, tone: 'error' },
};

export function StepMark({ state }: { state: StepState }) {
  if (state === 'running') return <Spinner />;
  const mark = STATE_MARK[state];
  return mark.tone === 'dim' ? <Text dimColor>{mark.symbol}</Text> : <Text color={toneColor[mark.tone]}>{mark.symbol}</Text>;
}

/**
 * Steps with their state mark, title and detail. When there are more than `maxVisible`, the oldest
 * finished ones fold into one line, so the running step always stays in view.
 */
export function StepList({ steps, maxVisible = Number.POSITIVE_INFINITY }: { steps: readonly StepView[]; maxVisible?: number }) {
  const hidden = steps.length > maxVisible ? steps.length - Math.max(1, maxVisible - 1) : 0;
  const shown = steps.slice(hidden);
  return (
    <Box flexDirection="column">
      {hidden > 0 ? (
        <Text dimColor>
          {symbols.ok} {hidden} earlier {hidden === 1 ? 'step' : 'steps'}
        </Text>
      ) : null}
      {shown.map((step) => (
        <Box key={step.id}>
          <Box flexShrink={0} marginRight={1}>
            <StepMark state={step.state} />
          </Box>
          <Text wrap="truncate-end">
            <Text dimColor={step.state === 'pending' || step.state === 'skipped'} bold={step.state === 'running'}>
              {step.title}
            </Text>
            {step.detail ? (
              <Text color={step.state === 'failed' ? 'red' : undefined} dimColor={step.state !== 'failed'}>
                {'  '}
                {step.detail}
              </Text>
            ) : null}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
