import { Box, Text } from 'ink';

export interface Fact {
  label: string;
  value: string;
}

/** Label/value rows with the labels in one column: "Directory   /opt/openmates". */
export function Facts({ facts }: { facts: readonly Fact[] }) {
  const labelWidth = Math.max(0, ...facts.map((fact) => fact.label.length)) + 2;
  return (
    <Box flexDirection="column">
      {facts.map((fact) => (
        <Box key={`${fact.label}=${fact.value}`}>
          <Box width={labelWidth} flexShrink={0}>
            <Text dimColor>{fact.label}</Text>
          </Box>
          <Text wrap="truncate-middle">{fact.value}</Text>
        </Box>
      ))}
    </Box>
  );
}
