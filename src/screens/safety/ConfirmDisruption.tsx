import { Box, Text, useInput } from 'ink';
import type { Disruption } from '../../core/safety/disruption.js';
import type { KeyHint } from '../components/KeyHints.js';
import { symbols } from '../components/theme.js';

export const CONFIRM_DISRUPTION_HINTS: KeyHint[] = [
  { keys: 'y', action: 'yes, go on' },
  { keys: 'esc/n', action: 'cancel' },
];

/**
 * Safety mode's confirm step before a restart or an update: what happens, the downtime, which
 * services, what it means for the people using it. `y` goes on; Esc or `n` cancels. Enter alone
 * does nothing here: on a production server the yes is typed on purpose.
 */
export function ConfirmDisruption({ disruption, onConfirm, onCancel, isActive = true }: { disruption: Disruption; onConfirm: () => void; onCancel: () => void; isActive?: boolean }) {
  useInput(
    (input, key) => {
      if (input === 'y' || input === 'Y') onConfirm();
      else if (key.escape || input === 'n' || input === 'N') onCancel();
    },
    { isActive },
  );
  const verb = disruption.action === 'restart' ? 'Restart' : 'Update';
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="yellow">{symbols.badge}</Text> <Text bold>Safety mode is on</Text>
        <Text dimColor> · this is a production server</Text>
      </Text>
      <Box marginTop={1} flexDirection="column">
        <Text bold wrap="wrap">
          {disruption.headline}
        </Text>
        <Text wrap="truncate-end">
          <Text dimColor>Downtime </Text>
          {disruption.downtime}
        </Text>
        {disruption.services.length > 0 ? (
          <Text wrap="wrap">
            <Text dimColor>Services </Text>
            {disruption.services.join(', ')}
          </Text>
        ) : null}
      </Box>
      <Box marginTop={1} flexDirection="column">
        {disruption.consequences.map((line) => (
          <Text key={line} wrap="wrap">
            <Text color="yellow">{symbols.warning}</Text> {line}
          </Text>
        ))}
      </Box>
      <Box marginTop={1}>
        <Text bold>
          {verb} {disruption.project} now? Press y to go on, esc to cancel.
        </Text>
      </Box>
    </Box>
  );
}
