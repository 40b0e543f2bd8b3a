import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { phraseMatches } from '../../core/safety/confirmation-phrase.js';
import { symbols } from './theme.js';

/**
 * The typed confirmation: the phrase is shown once, the user types it, and Enter does nothing
 * (but say so) until the text is exactly the phrase. Esc cancels.
 */
export function ConfirmPhraseInput({
  phrase,
  actionLabel,
  onConfirm,
  onCancel,
  isActive = true,
}: {
  phrase: string;
  /** What Enter does once it matches, e.g. "delete the data". */
  actionLabel: string;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
  isActive?: boolean;
}) {
  const [typed, setTyped] = useState('');
  const [refused, setRefused] = useState(false);
  const matches = phraseMatches(typed, phrase);

  useInput(
    (input, key) => {
      if (key.escape) return onCancel();
      if (key.return) {
        if (matches) onConfirm(typed);
        else setRefused(true);
        return;
      }
      if (key.backspace || key.delete) {
        setTyped((text) => text.slice(0, -1));
        setRefused(false);
        return;
      }
      if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || input === '') return;
      // Keys typed fast (or pasted) can arrive as one chunk, backspaces included: apply them in order.
      setTyped((text) => applyTyping(text, input));
      setRefused(false);
    },
    { isActive },
  );

  return (
    <Box flexDirection="column">
      <Text>
        To go on, type <Text bold color="red">{phrase}</Text>
      </Text>
      <Text dimColor>(exactly: case and spaces count; esc cancels)</Text>
      <Box marginTop={1}>
        <Text color={matches ? 'green' : 'cyan'}>{symbols.pointer} </Text>
        <Text>{typed}</Text>
        <Text inverse> </Text>
      </Box>
      <Box marginTop={1}>
        {matches ? (
          <Text color="green">
            {symbols.ok} The phrase matches: press enter to {actionLabel}.
          </Text>
        ) : refused ? (
          <Text color="red">
            {symbols.error} That is not the phrase, so nothing happens: nothing was deleted. Check case and spaces.
          </Text>
        ) : (
          <Text dimColor>Enter does nothing until the phrase matches.</Text>
        )}
      </Box>
    </Box>
  );
}

/** Applies a chunk of typed characters: DEL and BS erase one, other control characters are dropped. */
export function applyTyping(text: string, chunk: string): string {
  let result = text;
  for (const char of chunk) {
    if (char === '\x7f' || char === '\b') result = result.slice(0, -1);
    else if (char >= ' ') result += char;
  }
  return result;
}
