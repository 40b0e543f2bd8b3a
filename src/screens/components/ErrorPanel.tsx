import { Box, Text } from 'ink';
import { isOpenmatesError, messageOf } from '../../core/errors.js';
import { symbols } from './theme.js';

/**
 * What went wrong (one sentence), what to do about it (the hint), and the evidence (details such as
 * the failing service's last log lines, the latest `maxDetails` of them).
 */
export function ErrorPanel({ error, maxDetails = 8 }: { error: unknown; maxDetails?: number }) {
  const message = messageOf(error);
  const hint = isOpenmatesError(error) ? error.hint : undefined;
  const details = isOpenmatesError(error) ? error.details : [];
  const shownDetails = details.slice(-Math.max(0, maxDetails));
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0} marginRight={1}>
          <Text color="red">{symbols.error}</Text>
        </Box>
        <Text bold>{message}</Text>
      </Box>
      {hint ? (
        <Box marginLeft={2}>
          <Box flexShrink={0} marginRight={1}>
            <Text color="cyan">{symbols.hint}</Text>
          </Box>
          <Text>{hint}</Text>
        </Box>
      ) : null}
      {shownDetails.length > 0 ? (
        <Box flexDirection="column" marginLeft={2} marginTop={1}>
          {details.length > shownDetails.length ? (
            <Text dimColor>
              {symbols.detail} … {details.length - shownDetails.length} earlier lines
            </Text>
          ) : null}
          {shownDetails.map((line, index) => (
            <Text key={index} dimColor wrap="truncate-end">
              {symbols.detail} {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
