import { Box, Text } from 'ink';

/**
 * The QR code lines, drawn light on dark whatever the terminal's theme, so phones read it as a
 * normal (not inverted) code.
 */
export function QrCode({ lines }: { lines: readonly string[] }) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((line, index) => (
        <Text key={index} color="white" backgroundColor="black">
          {line}
        </Text>
      ))}
    </Box>
  );
}
