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
  // Keys can arrive faster than React renders, and Ink hands a paste (or tmux's send-keys) over
  // as one string, "482913\r" included: the handler walks it and keeps the PIN in a ref.
  const current = useRef('');
  useInput(
    (input, key) => {
      let value = current.current;
      const submit = () => {
        if (value.length !== PIN_LENGTH) return;
        onSubmit(value);
        value = '';
      };
      if (key.backspace || key.delete) value = value.slice(0, -1);
      else if (key.return && !/[\r\n]/.test(input)) submit();
      else {
        for (const char of input) {
          if (char === '\r' || char === '\n') submit();
          else if (isPinCharacter(char) && value.length < PIN_LENGTH) value += char.toUpperCase();
        }
      }
      current.current = value;
      setTyped(value);
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
