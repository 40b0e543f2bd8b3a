import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { symbols, toneColor } from './theme.js';

export interface MenuItem<Value extends string> {
  value: Value;
  label: string;
  /** Shown dimmed and skipped by the cursor. */
  disabled?: boolean;
  /** A quiet note after the label, e.g. "coming soon". */
  note?: string;
}

/** The index `direction` steps away from `from` that is enabled, wrapping around; `from` if none. */
export function nextEnabledIndex(items: readonly MenuItem<string>[], from: number, direction: 1 | -1): number {
  for (let offset = 1; offset <= items.length; offset += 1) {
    const index = (((from + direction * offset) % items.length) + items.length) % items.length;
    if (items[index] && !items[index].disabled) return index;
  }
  return from;
}

/**
 * A vertical menu: ↑/↓ (or k/j) move, Enter picks. Unlike ink-select-input it knows disabled items.
 * Give it a `key` that changes with its items so the cursor starts fresh.
 */
export function Menu<Value extends string>({
  items,
  onSelect,
  isActive = true,
}: {
  items: readonly MenuItem<Value>[];
  onSelect: (value: Value) => void;
  isActive?: boolean;
}) {
  const [selected, setSelected] = useState(() => nextEnabledIndex(items, -1, 1));
  useInput(
    (input, key) => {
      if (key.upArrow || input === 'k') setSelected((index) => nextEnabledIndex(items, index, -1));
      else if (key.downArrow || input === 'j') setSelected((index) => nextEnabledIndex(items, index, 1));
      else if (key.return) {
        const item = items[selected];
        if (item && !item.disabled) onSelect(item.value);
      }
    },
    { isActive },
  );
  return (
    <Box flexDirection="column">
      {items.map((item, index) => {
        const isSelected = index === selected && !item.disabled;
        return (
          <Text key={item.value} wrap="truncate-end">
            <Text color={toneColor.accent}>{isSelected ? `${symbols.pointer} ` : '  '}</Text>
            <Text color={isSelected ? toneColor.accent : undefined} dimColor={item.disabled} bold={isSelected}>
              {item.label}
            </Text>
            {item.note ? <Text dimColor> ({item.note})</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
