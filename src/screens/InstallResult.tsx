import { Box, Text, useInput } from 'ink';
import type { InstallResult } from '../core/install/types.js';
import { DegradedChecks } from './components/DegradedChecks.js';
import { Facts } from './components/Facts.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { ServiceStates } from './components/ServiceStates.js';
import { symbols } from './components/theme.js';
import { useTerminalSize } from './use-terminal-size.js';

/** After a successful install: what runs, where to open it, and the invite code for the first account. */
export function InstallResultScreen({ result, onBack }: { result: InstallResult; onBack: () => void }) {
  const { columns } = useTerminalSize();
  useInput((input, key) => {
    if (input === 'q' || key.escape) onBack();
  });
  const facts = [
    ...result.urls.map((url) => ({ label: url.name, value: url.url })),
    { label: 'Directory', value: result.installDir },
    { label: 'Install log', value: result.logFile },
  ];
  return (
    <ScreenFrame section="Installed" hints={[{ keys: 'q', action: 'back' }]}>
      <Text wrap="truncate-end">
        <Text color="green">{symbols.ok}</Text>
        <Text bold>
          {' '}
          {result.changed
            ? `Installed ${result.project} ${result.version}`
            : `${result.project} ${result.version} was already in place; nothing needed changing`}
          {result.degraded.length > 0 ? ' (up, degraded)' : ''}
        </Text>
      </Text>
      <DegradedChecks degraded={result.degraded} />
      <Box marginTop={1} marginLeft={2}>
        <Facts facts={facts} />
      </Box>
      {result.services.length > 0 ? (
        <Box marginTop={1} marginLeft={2}>
          <ServiceStates services={result.services} width={columns - 4} />
        </Box>
      ) : null}
      {result.shownSecret ? (
        <Box marginTop={1} borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column" flexShrink={0} alignSelf="flex-start">
          <Text>
            <Text dimColor>Invite code </Text>
            <Text bold color="cyan">
              {result.shownSecret.value}
            </Text>
          </Text>
          <Text>The first account signs up with this code.</Text>
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text dimColor>press q to go back</Text>
      </Box>
    </ScreenFrame>
  );
}
