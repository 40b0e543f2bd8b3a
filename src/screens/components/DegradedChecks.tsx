import { Box, Text } from 'ink';
import type { DegradedCheck } from '../../core/health/degraded.js';
import { symbols } from './theme.js';

/** "! api answers degraded: providers.openai unhealthy, ...": up, but with parts not working. */
export function DegradedChecks({ degraded }: { degraded: readonly DegradedCheck[] }) {
  if (degraded.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {degraded.map((check) => (
        <Text key={check.name} wrap="wrap">
          <Text color="yellow">{symbols.warning}</Text> {check.name} answers degraded
          {check.reasons.length > 0 ? `: ${check.reasons.join(', ')}` : ''}
        </Text>
      ))}
      <Text dimColor wrap="wrap">
        {'  '}It runs; what is named there does not work until it is fixed (often a provider or app without its API key).
      </Text>
    </Box>
  );
}
