import { Box, Text } from 'ink';
import type { ServiceHealth } from '../../core/events.js';
import { Spinner } from './Spinner.js';
import { healthTone, symbols, toneColor } from './theme.js';

export interface ServiceState {
  service: string;
  state: ServiceHealth;
  detail?: string;
}

export function HealthMark({ state }: { state: ServiceHealth }) {
  const tone = healthTone(state);
  if (tone === 'accent') return <Spinner />;
  return <Text color={toneColor[tone]}>{tone === 'ok' ? symbols.ok : symbols.error}</Text>;
}

/** Services as a wrapping grid of "✓ api healthy" cells, so a dozen of them fit in a few rows. */
export function ServiceStates({ services, width }: { services: readonly ServiceState[]; width: number }) {
  const longest = Math.max(0, ...services.map((s) => s.service.length + s.state.length));
  const cellWidth = Math.min(Math.max(longest + 5, 20), Math.max(20, width));
  return (
    <Box flexWrap="wrap" width={width}>
      {services.map((service) => (
        <Box key={service.service} width={cellWidth} flexShrink={0}>
          <Box marginRight={1} flexShrink={0}>
            <HealthMark state={service.state} />
          </Box>
          <Text wrap="truncate-end">
            {service.service} <Text dimColor>{service.state}</Text>
          </Text>
        </Box>
      ))}
    </Box>
  );
}
