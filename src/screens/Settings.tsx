import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Settings as SettingsValues } from '../core/settings.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { Menu } from './components/Menu.js';
import { ScreenFrame } from './components/ScreenFrame.js';

type Key = 'safetyMode' | 'updateCheck' | 'updateChannel';

function label(key: Key, settings: SettingsValues): string {
  switch (key) {
    case 'safetyMode':
      return `Safety mode: ${settings.safetyMode === undefined ? 'not set' : settings.safetyMode ? 'on (production server)' : 'off'}`;
    case 'updateCheck':
      return `Look for updates: ${settings.updateCheck ? 'on' : 'off'}`;
    case 'updateChannel':
      return `Update channel: ${settings.updateChannel}`;
  }
}

function toggled(key: Key, settings: SettingsValues): Partial<SettingsValues> {
  switch (key) {
    case 'safetyMode':
      return { safetyMode: settings.safetyMode !== true };
    case 'updateCheck':
      return { updateCheck: !settings.updateCheck };
    case 'updateChannel':
      return { updateChannel: settings.updateChannel === 'stable' ? 'prerelease' : 'stable' };
  }
}

/** This machine's settings; Enter changes the one under the cursor and keeps it at once. */
export function Settings({
  settings,
  error: readError,
  onChange,
  onBack,
}: {
  /** Undefined when the settings file could not be read (readError says why). */
  settings: SettingsValues | undefined;
  error?: unknown;
  onChange: (patch: Partial<SettingsValues>) => Promise<void>;
  onBack: () => void;
}) {
  const [error, setError] = useState<unknown>(undefined);
  useInput((input, key) => {
    if (key.escape || input === 'q') onBack();
  });
  const keys: Key[] = ['safetyMode', 'updateCheck', 'updateChannel'];
  return (
    <ScreenFrame
      section="Settings"
      hints={[
        { keys: '↑↓', action: 'move' },
        { keys: 'enter', action: 'change' },
        { keys: 'esc', action: 'back' },
      ]}
    >
      {settings ? (
        <Menu
          items={keys.map((key) => ({ value: key, label: label(key, settings) }))}
          onSelect={(key) => {
            setError(undefined);
            onChange(toggled(key, settings)).catch(setError);
          }}
        />
      ) : (
        <ErrorPanel error={readError ?? new Error('The settings could not be read.')} />
      )}
      <Box flexDirection="column" marginTop={1}>
        <Text dimColor wrap="wrap">
          Safety mode is for production servers: restart and update first show what they will do and need an explicit yes. Deleting
          data always needs the typed phrase, in either mode.
        </Text>
      </Box>
      {error !== undefined ? (
        <Box marginTop={1}>
          <ErrorPanel error={error} />
        </Box>
      ) : null}
    </ScreenFrame>
  );
}
