import { createInterface, type Interface } from 'node:readline';
import { isPin, isPinCharacter, normalizePin, PIN_LENGTH } from '../../auth/pair-token.js';
import { OpenmatesError } from '../../core/errors.js';

export interface PinRequest {
  /** The device that approved, whose screen shows the PIN. */
  device: string;
  /** Set after a wrong PIN. */
  attemptsLeft?: number;
}

/** Where PINs come from: the terminal (typed, masked) or stdin lines (--pin-stdin). */
export interface PinSource {
  /** True when a person answers at a terminal, who can be offered a fresh code. */
  readonly interactive: boolean;
  /** The next PIN, upper-cased and checked; undefined when stdin has no more lines. */
  next(request: PinRequest, signal: AbortSignal): Promise<string | undefined>;
  /** After an expired code: true for a fresh one. */
  offerFreshCode(signal: AbortSignal): Promise<boolean>;
  close(): void;
}

/**
 * Picks the PIN source before anything is asked of the server: --pin-stdin, else the terminal;
 * without either, the answer is missing and the error names the flag (exit 9).
 */
export function pinSourceFor(options: { pinStdin: boolean }, stdin: NodeJS.ReadStream, prompts: NodeJS.WriteStream): PinSource {
  if (options.pinStdin) return stdinLines(stdin);
  if (stdin.isTTY) return terminalPrompt(stdin, prompts);
  throw new OpenmatesError(
    'needs-answer',
    'The login needs the PIN the other device shows, and there is no terminal to type it.',
    'Pass --pin-stdin and write the PIN to stdin once the link is approved, e.g. with --json: read the "pair-approved" event, then write the PIN and a newline. A PIN is never taken from a command-line flag.',
  );
}

function stdinLines(stdin: NodeJS.ReadStream): PinSource {
  let reader: Interface | undefined;
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  const start = () => {
    if (reader) return;
    reader = createInterface({ input: stdin, terminal: false });
    reader.on('line', (line) => {
      if (line.trim() === '') return;
      const take = waiting.shift();
      if (take) take(line);
      else lines.push(line);
    });
    reader.on('close', () => {
      ended = true;
      for (const take of waiting.splice(0)) take(undefined);
    });
  };
  return {
    interactive: false,
    async next(request, signal) {
      start();
      const line =
        lines.shift() ??
        (ended
          ? undefined
          : await new Promise<string | undefined>((resolve, reject) => {
              const onAbort = () => reject(new OpenmatesError('interrupted', 'Stopped while waiting for the PIN on stdin.'));
              signal.addEventListener('abort', onAbort, { once: true });
              waiting.push((value) => {
                signal.removeEventListener('abort', onAbort);
                resolve(value);
              });
            }));
      if (line === undefined) return undefined;
      const pin = normalizePin(line);
      if (!isPin(pin)) {
        // Never quote the line: it may be the PIN with a typo.
        throw new OpenmatesError('usage', `The PIN read from stdin is not ${PIN_LENGTH} letters or digits (the line has ${pin.length} characters after spaces are removed).`, `Write the ${PIN_LENGTH} characters ${request.device} shows, then a newline.`);
      }
      return pin;
    },
    offerFreshCode: async () => false,
    close() {
      reader?.close();
    },
  };
}

function terminalPrompt(stdin: NodeJS.ReadStream, prompts: NodeJS.WriteStream): PinSource {
  return {
    interactive: true,
    async next(request, signal) {
      const label = request.attemptsLeft === undefined ? `PIN shown on ${request.device}: ` : `PIN (${request.attemptsLeft} ${request.attemptsLeft === 1 ? 'attempt' : 'attempts'} left): `;
      return readMaskedPin(stdin, prompts, label, signal);
    },
    async offerFreshCode(signal) {
      prompts.write('Press enter for a fresh code, or q to stop. ');
      const key = await readKey(stdin, signal, (char) => char === '\r' || char === '\n' || char === 'q' || char === '\x1b');
      prompts.write('\n');
      return key === '\r' || key === '\n';
    },
    close() {},
  };
}

/** A PIN typed at the terminal: shown as dots, letters upper-cased, spaces ignored, enter once all 6 are in. */
function readMaskedPin(stdin: NodeJS.ReadStream, prompts: NodeJS.WriteStream, label: string, signal: AbortSignal): Promise<string> {
  let typed = '';
  const draw = () => prompts.write(`\r\x1b[2K${label}${'•'.repeat(typed.length)}${'·'.repeat(PIN_LENGTH - typed.length)}`);
  draw();
  return withRawInput(stdin, signal, (chunk, done) => {
    for (const char of chunk) {
      if (char === '\r' || char === '\n') {
        if (typed.length === PIN_LENGTH) {
          prompts.write('\n');
          return done(typed);
        }
      } else if (char === '\x7f' || char === '\b') {
        typed = typed.slice(0, -1);
      } else if (isPinCharacter(char) && typed.length < PIN_LENGTH) {
        typed += char.toUpperCase();
      }
    }
    draw();
    return undefined;
  });
}

function readKey(stdin: NodeJS.ReadStream, signal: AbortSignal, accept: (char: string) => boolean): Promise<string> {
  return withRawInput(stdin, signal, (chunk, done) => {
    if (accept(chunk)) return done(chunk);
    return undefined;
  });
}

/**
 * Reads raw keys until `onChunk` calls done. Ctrl-C arrives as a key in raw mode, so it is turned
 * back into the interruption it means; the terminal leaves raw mode on every way out.
 */
function withRawInput<T>(stdin: NodeJS.ReadStream, signal: AbortSignal, onChunk: (chunk: string, done: (value: T) => T) => T | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const wasRaw = stdin.isRaw;
    const finish = (action: () => void) => {
      stdin.off('data', onData);
      signal.removeEventListener('abort', onAbort);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      action();
    };
    const onAbort = () => finish(() => reject(new OpenmatesError('interrupted', 'Stopped at the PIN prompt.')));
    const onData = (data: Buffer | string) => {
      const chunk = data.toString();
      if (chunk.includes('\x03')) return finish(() => reject(new OpenmatesError('interrupted', 'Stopped at the PIN prompt.')));
      let settled = false;
      onChunk(chunk, (value) => {
        settled = true;
        finish(() => resolve(value));
        return value;
      });
      return settled;
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stdin.setRawMode?.(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.resume();
  });
}
