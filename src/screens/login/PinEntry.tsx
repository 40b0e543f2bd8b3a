import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { isPinCharacter, PIN_LENGTH } from '../../auth/pair-token.js';
import { Spinner } from '../components/Spinner.js';
import { symbols } from '../components/theme.js';

/**
 * The PIN boxes: typed characters show as dots (the PIN is a secret, even on screen), letters are
 * upper-cased, spaces ignored; enter sends once all six are in, backspace takes one back.
 */
export function PinEntry({ device, attemptsLeft, checking, onSubmit }: { device: string; attemptsLeft?: number; checking: boolean; onSubmit: (pin: string) => void }) {
  const [typed, setTyped] = useState('');
  // Keys can arrive faster than React renders (a pasted PIN, then enter): the handler reads and
  // writes this ref, so enter sees every character typed before it.
  const current = useRef('');
  const update = (next: string) => {
    current.current = next;
    setTyped(next);
  };
  useInput(
    (input, key) => {
      if (key.return) {
        if (current.current.length === PIN_LENGTH) {
          onSubmit(current.current);
          update('');
        }
        return;
      }
      if (key.backspace || key.delete) {
        update(current.current.slice(0, -1));
        return;
      }
      const characters = [...input].filter(isPinCharacter).map((char) => char.toUpperCase());
      if (characters.length > 0) update((current.current + characters.join('')).slice(0, PIN_LENGTH));
    },
    { isActive: !checking },
  );
  const cells = Array.from({ length: PIN_LENGTH }, (_, index) => (index < typed.length ? '•' : '·'));
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="green">{symbols.ok}</Text> Approved on <Text bold>{device}</Text>
      </Text>
      <Box marginTop={1}>
        <Text>Type the PIN {device} shows: </Text>
        <Text bold color="cyan">
          {cells.join(' ')}
        </Text>
      </Box>
      {attemptsLeft !== undefined ? (
        <Text color="red">
          {symbols.error} Wrong PIN: {attemptsLeft} {attemptsLeft === 1 ? 'attempt' : 'attempts'} left
        </Text>
      ) : null}
      {checking ? (
        <Text>
          <Spinner /> Checking the PIN and logging in…
        </Text>
      ) : null}
    </Box>
  );
}
