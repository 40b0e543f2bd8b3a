/** The terminal's alternate screen: entered once, restored exactly once, whatever ends the app. */

export const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h';
export const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
const CLEAR_AND_HOME = '\x1b[2J\x1b[H';

export interface AlternateScreen {
  enter(): void;
  /** Safe to call any number of times, also from a process 'exit' handler (it writes synchronously on a TTY). */
  restore(): void;
}

export function alternateScreen(output: { write(text: string): unknown }): AlternateScreen {
  let active = false;
  return {
    enter() {
      if (active) return;
      active = true;
      output.write(ENTER_ALTERNATE_SCREEN + CLEAR_AND_HOME + HIDE_CURSOR);
    },
    restore() {
      if (!active) return;
      active = false;
      try {
        output.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
      } catch {
        // stdout is gone (closed terminal): nothing left to restore
      }
    },
  };
}
