import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { symbols, toneColor } from '../components/theme.js';
import { serviceColor } from './LogLines.js';

/**
 * Which services the log view shows: ↑↓ move, space toggles one, `a` shows all (or only the one
 * under the cursor when all are shown), enter or esc closes. Changes apply as they are made.
 */
export function ServiceFilter({
  services,
  hidden,
  onChange,
  onClose,
}: {
  services: readonly string[];
  hidden: ReadonlySet<string>;
  onChange: (hidden: ReadonlySet<string>) => void;
  onClose: () => void;
}) {
  const [cursor, setCursor] = useState(0);
  useInput((input, key) => {
    if (key.upArrow || input === 'k') setCursor((at) => (at + services.length - 1) % services.length);
    else if (key.downArrow || input === 'j') setCursor((at) => (at + 1) % services.length);
    else if (input === ' ') {
      const service = services[cursor];
      if (service === undefined) return;
      const next = new Set(hidden);
      if (next.has(service)) next.delete(service);
      else if (next.size < services.length - 1) next.add(service); // at least one stays shown
      onChange(next);
    } else if (input === 'a') {
      const service = services[cursor];
      onChange(hidden.size === 0 && service !== undefined ? new Set(services.filter((name) => name !== service)) : new Set());
    } else if (key.return || key.escape || input === 'f' || input === 'q') onClose();
  });
  return (
    <Box flexDirection="column">
      <Text bold>Show the logs of</Text>
      {services.map((service, index) => (
        <Text key={service} wrap="truncate-end">
          <Text color={toneColor.accent}>{index === cursor ? `${symbols.pointer} ` : '  '}</Text>
          <Text>{hidden.has(service) ? '[ ] ' : '[x] '}</Text>
          <Text color={serviceColor(services, service)} bold={index === cursor}>
            {service}
          </Text>
        </Text>
      ))}
    </Box>
  );
}
