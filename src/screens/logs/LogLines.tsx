import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import type { LogEntry } from '../../core/logs/types.js';

/** Ink colour names, one per service in the order of the instance's services. */
export const SERVICE_COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'cyanBright', 'magentaBright', 'yellowBright', 'greenBright', 'blueBright'] as const;

export function serviceColor(services: readonly string[], service: string): string {
  const index = services.indexOf(service);
  return SERVICE_COLORS[(index === -1 ? services.length : index) % SERVICE_COLORS.length]!;
}

// Escape sequences and control characters from a container could move the cursor or clear the
// screen: only their text is shown. Tabs become spaces so columns stay where Ink counts them.
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

export function printable(text: string): string {
  return text.replace(/\t/g, '    ').replace(CONTROL, '');
}

/** `text` cut into the pieces that match `pattern` and those between, in order. */
export function splitMatches(text: string, pattern: RegExp | undefined): { text: string; match: boolean }[] {
  if (!pattern) return [{ text, match: false }];
  const pieces: { text: string; match: boolean }[] = [];
  let last = 0;
  for (const found of text.matchAll(new RegExp(pattern.source, 'gi'))) {
    if (found[0] === '') break;
    if (found.index > last) pieces.push({ text: text.slice(last, found.index), match: false });
    pieces.push({ text: found[0], match: true });
    last = found.index + found[0].length;
  }
  if (last < text.length || pieces.length === 0) pieces.push({ text: text.slice(last), match: false });
  return pieces;
}

function highlighted(text: string, pattern: RegExp | undefined): ReactNode {
  if (!pattern) return text;
  return splitMatches(text, pattern).map((piece, index) =>
    piece.match ? (
      <Text key={index} backgroundColor="yellow" color="black">
        {piece.text}
      </Text>
    ) : (
      piece.text
    ),
  );
}

export interface LogLinesProps {
  lines: readonly { seq: number; entry: LogEntry }[];
  services: readonly string[];
  width: number;
  timestamps: boolean;
  pattern: RegExp | undefined;
  /** The current search match, marked in the gutter. */
  current: number | undefined;
}

/**
 * The visible log lines, oldest at the top: `service | text`, one colour per service. Plain ASCII
 * around the text and each text cut near the width keep Ink's width measuring on its fast path.
 */
export const LogLines = memo(function LogLines({ lines, services, width, timestamps, pattern, current }: LogLinesProps) {
  const nameWidth = Math.min(20, Math.max(0, ...services.map((service) => service.length)));
  return (
    <Box flexDirection="column" width={width}>
      {lines.map(({ seq, entry }) => {
        const color = serviceColor(services, entry.service);
        const name = entry.service.length > nameWidth ? entry.service.slice(0, nameWidth) : entry.service.padEnd(nameWidth);
        // One character more than fits, so Ink still ends a cut line with "…".
        const room = Math.max(1, width - 2 - nameWidth - 3 - (timestamps && entry.time ? entry.time.length + 1 : 0)) + 1;
        const text = printable(entry.text.length > room * 2 ? entry.text.slice(0, room * 2) : entry.text).slice(0, room);
        return (
          <Text key={seq} wrap="truncate-end">
            <Text color={seq === current ? 'yellow' : undefined}>{seq === current ? '> ' : '  '}</Text>
            <Text color={color}>{name} | </Text>
            {timestamps && entry.time ? <Text dimColor>{entry.time} </Text> : null}
            {entry.kind === 'notice' ? (
              <Text color={color} dimColor>
                — {text}
              </Text>
            ) : (
              highlighted(text, pattern)
            )}
          </Text>
        );
      })}
    </Box>
  );
});
