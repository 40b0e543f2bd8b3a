import { Box, Text } from 'ink';
import type { StepView } from '../install-progress.js';
import { ErrorPanel } from './ErrorPanel.js';
import { StepList } from './StepList.js';

const VISIBLE_STEPS = 5;

/** How an operation that failed ends on screen: the headline, its last steps, and the error with as many details as fit. */
export function FailedSteps({ headline, steps, error, bodyRows, minDetails = 3 }: { headline: string; steps: StepView[]; error: unknown; bodyRows: number; minDetails?: number }) {
  return (
    <Box flexDirection="column">
      <Text bold color="red" wrap="truncate-middle">
        {headline}
      </Text>
      <Box marginTop={1}>
        <StepList steps={steps} maxVisible={VISIBLE_STEPS} />
      </Box>
      <Box marginTop={1}>
        <ErrorPanel error={error} maxDetails={Math.max(minDetails, bodyRows - Math.min(steps.length, VISIBLE_STEPS) - 7)} />
      </Box>
    </Box>
  );
}
