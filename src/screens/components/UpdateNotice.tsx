import { Box, Text } from 'ink';
import type { NoticeLine } from '../update-notice.js';
import { symbols, toneColor } from './theme.js';

/** The home screen's update lines: "↑ Update available: v1.0.0 -> v1.1.0. Press u to update." */
export function UpdateNotice({ lines }: { lines: readonly NoticeLine[] }) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {lines.map((line) =>
        line.tone === 'dim' ? (
          <Text key={line.text} dimColor wrap="wrap">
            {line.text}
          </Text>
        ) : (
          <Text key={line.text} wrap="wrap">
            <Text color={toneColor[line.tone]}>{line.tone === 'warning' ? symbols.warning : '↑'}</Text> <Text bold={line.tone === 'warning'}>{line.text}</Text>
          </Text>
        ),
      )}
    </Box>
  );
}
