import { Box, Text } from 'ink';

/** "OpenMates server · Install" on the left, the host name on the right, a thin rule below. */
export function Header({ section, hostName }: { section?: string; hostName: string }) {
  return (
    <Box
      justifyContent="space-between"
      borderStyle="single"
      borderTop={false}
      borderLeft={false}
      borderRight={false}
      borderDimColor
      flexShrink={0}
    >
      <Text wrap="truncate-end">
        <Text bold>OpenMates server</Text>
        {section ? <Text dimColor> · {section}</Text> : null}
      </Text>
      <Text dimColor wrap="truncate-start">
        {hostName}
      </Text>
    </Box>
  );
}
