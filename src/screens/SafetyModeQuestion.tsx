import { Box, Text, useInput } from 'ink';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Menu } from './components/Menu.js';

export const SAFETY_QUESTION = 'Is this a production server, where deleting data by accident would be very bad?';

/** Asked the first time the app runs on a machine; the answer is kept in the settings. */
export function SafetyModeQuestion({ onAnswer, onLater }: { onAnswer: (production: boolean) => void; onLater: () => void }) {
  useInput((input, key) => {
    if (input === 'y') onAnswer(true);
    else if (input === 'n') onAnswer(false);
    else if (key.escape) onLater();
  });
  return (
    <ScreenFrame
      section="First start"
      hints={[
        { keys: 'y/n', action: 'answer' },
        { keys: 'enter', action: 'choose' },
        { keys: 'esc', action: 'ask me next time' },
      ]}
    >
      <Text bold wrap="wrap">
        {SAFETY_QUESTION}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text wrap="wrap">
          Yes turns on <Text bold>safety mode</Text>: restart and update first show what they will do (downtime, which services) and need
          an explicit yes.
        </Text>
        <Text wrap="wrap">Either way, deleting data (reset, uninstall with data, restore) always needs a typed confirmation phrase.</Text>
        <Text dimColor wrap="wrap">
          Change it later in Settings, or with `openmates config set safety-mode on|off`.
        </Text>
      </Box>
      <Box marginTop={1}>
        <Menu
          items={[
            { value: 'yes' as const, label: 'Yes, production: turn safety mode on' },
            { value: 'no' as const, label: 'No, a test or personal server' },
          ]}
          onSelect={(value) => onAnswer(value === 'yes')}
        />
      </Box>
    </ScreenFrame>
  );
}
