import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useAppInfo } from '../app-info.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { Header } from './Header.js';
import { KeyHints, type KeyHint } from './KeyHints.js';
import { Spinner } from './Spinner.js';

/**
 * Every screen's outer shape: header, body, key-hint footer, filling the terminal. One row is left
 * free at the bottom so Ink redraws in place instead of clearing the whole screen each frame.
 */
export function ScreenFrame({ section, hints, children }: { section?: string; hints: readonly KeyHint[]; children: ReactNode }) {
  const { columns, rows } = useTerminalSize();
  const { hostName, cliVersion, stopping } = useAppInfo();
  return (
    <Box flexDirection="column" width={columns} height={Math.max(rows - 1, 8)} paddingX={1}>
      <Header section={section} hostName={hostName} />
      <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden" paddingTop={1}>
        {children}
      </Box>
      <Box
        flexDirection="column"
        flexShrink={0}
        borderStyle="single"
        borderBottom={false}
        borderLeft={false}
        borderRight={false}
        borderDimColor
      >
        {stopping ? (
          <Text color="yellow">
            <Spinner tone="warning" /> Stopping… giving the running step a moment to end
          </Text>
        ) : (
          <KeyHints hints={hints} width={columns - 2} {...(cliVersion ? { aside: `openmates ${cliVersion}` } : {})} />
        )}
      </Box>
    </Box>
  );
}
