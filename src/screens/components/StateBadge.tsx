import { Text } from 'ink';
import { Spinner } from './Spinner.js';
import { symbols, toneColor, type Tone } from './theme.js';

/** "● Installed · v1.0.0 · 6/6 services healthy": a coloured dot and label, or a spinner while busy. */
export function StateBadge({ label, tone, busy = false }: { label: string; tone: Tone; busy?: boolean }) {
  return (
    <Text wrap="truncate-end">
      {busy ? <Spinner tone={tone} /> : <Text color={toneColor[tone]}>{symbols.badge}</Text>}
      <Text color={busy ? undefined : toneColor[tone]} bold={!busy} dimColor={busy}>
        {' '}
        {label}
      </Text>
    </Text>
  );
}
