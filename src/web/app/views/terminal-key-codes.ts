/** The bytes the Terminal view's keys send (no DOM here: unit-tested under Node). */

export type Arrow = 'up' | 'down' | 'right' | 'left';
const ARROW_LETTER: Record<Arrow, string> = { up: 'A', down: 'B', right: 'C', left: 'D' };

/** An arrow key as a terminal expects it: `ESC O A` in application cursor mode (vi, less), `ESC [ A` otherwise; with Ctrl `ESC [ 1 ; 5 A`. */
export function arrowSequence(arrow: Arrow, applicationCursor: boolean, ctrl = false): string {
  const letter = ARROW_LETTER[arrow];
  if (ctrl) return `\x1b[1;5${letter}`;
  return applicationCursor ? `\x1bO${letter}` : `\x1b[${letter}`;
}

/** What Ctrl and a key send: a letter (either case) and @[\]^_ their control code (Ctrl-C is \x03), Space NUL, ? DEL; anything else unchanged. */
export function controlCode(data: string): string {
  if (data.length !== 1) return data;
  const code = data.toUpperCase().charCodeAt(0);
  if (code >= 0x40 && code <= 0x5f) return String.fromCharCode(code & 0x1f);
  if (data === ' ') return '\x00';
  if (data === '?') return '\x7f';
  return data;
}

/**
 * A sticky Ctrl: pressed, the next key (from the row or the keyboard) is sent as its control code,
 * then Ctrl lets go by itself.
 */
export interface StickyCtrl {
  readonly armed: boolean;
  toggle(): void;
  /** The data to send for what was typed: its control code when Ctrl is armed (and Ctrl lets go). */
  apply(data: string): string;
}

export function stickyCtrl(onChange: (armed: boolean) => void): StickyCtrl {
  let armed = false;
  const set = (value: boolean) => {
    armed = value;
    onChange(armed);
  };
  return {
    get armed() {
      return armed;
    },
    toggle: () => set(!armed),
    apply: (data) => {
      if (!armed) return data;
      set(false);
      return controlCode(data);
    },
  };
}
