import { Box, Text } from 'ink';
import { toneColor, type Tone } from './theme.js';

const MIN_BAR = 6;
const MAX_BAR = 40;

/** Bars stay between MIN_BAR and MAX_BAR cells wide. */
export function fitBarWidth(room: number): number {
  return Math.max(MIN_BAR, Math.min(MAX_BAR, Math.floor(room)));
}

/**
 * A bar with a text label after it ("12.3 MB / 40.0 MB · 3/5 layers"). Give `width` (the whole row)
 * and the bar takes what the label leaves; or give `barWidth` to line several bars up.
 */
export function ProgressBar({
  fraction,
  width = 0,
  barWidth: fixedBarWidth,
  label,
  tone = 'accent',
}: {
  /** 0..1; values outside are clamped. */
  fraction: number;
  width?: number;
  barWidth?: number;
  label?: string;
  tone?: Tone;
}) {
  const barWidth = fitBarWidth(fixedBarWidth ?? width - (label ? label.length + 1 : 0));
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(clamped * barWidth);
  return (
    <Box>
      <Text>
        <Text color={toneColor[tone]}>{'━'.repeat(filled)}</Text>
        <Text dimColor>{'─'.repeat(barWidth - filled)}</Text>
      </Text>
      {label ? <Text wrap="truncate-end"> {label}</Text> : null}
    </Box>
  );
}
