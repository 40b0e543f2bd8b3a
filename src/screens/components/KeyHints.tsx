import { Box, Text } from 'ink';
import { Fragment } from 'react';

export interface KeyHint {
  keys: string;
  action: string;
}

const SEPARATOR = ' · ';

/** The text length of the hints as rendered. */
export function hintsLength(hints: readonly KeyHint[]): number {
  return hints.reduce((length, hint, index) => length + (index > 0 ? SEPARATOR.length : 0) + hint.keys.length + 1 + hint.action.length, 0);
}

/**
 * The footer: "↑↓ move · enter select · q quit", with something quiet on the right when `width`
 * leaves room for it (the hints matter more).
 */
export function KeyHints({ hints, aside, width = Number.POSITIVE_INFINITY }: { hints: readonly KeyHint[]; aside?: string; width?: number }) {
  const showAside = aside !== undefined && hintsLength(hints) + 2 + aside.length <= width;
  return (
    <Box justifyContent="space-between">
      <Text wrap="truncate-end">
        {hints.map((hint, index) => (
          <Fragment key={hint.keys}>
            {index > 0 ? <Text dimColor>{SEPARATOR}</Text> : null}
            <Text bold>{hint.keys}</Text>
            <Text dimColor> {hint.action}</Text>
          </Fragment>
        ))}
      </Text>
      {showAside ? <Text dimColor>{aside}</Text> : null}
    </Box>
  );
}
