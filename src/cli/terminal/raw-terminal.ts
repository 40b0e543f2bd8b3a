import { spawnSync } from 'node:child_process';

/** Attributes back to normal, the cursor shown: what a remote program may have left otherwise. */
const RESET_SCREEN = '\x1b[0m\x1b[?25h';
/** Leaves the alternate screen (a full-screen program cut off mid-run) and mouse and bracketed-paste modes. */
const LEAVE_FULL_SCREEN = '\x1b[?1049l\x1b[?1000l\x1b[?1002l\x1b[?1006l\x1b[?2004l';

export interface RawTerminal {
  /** Notes the output's alternate-screen switches, so restore() knows whether to leave it. */
  sawOutput(bytes: Uint8Array): void;
  /** Cooked mode and a visible cursor again; safe to call any number of times, from any exit path. */
  restore(): void;
}

/**
 * Puts the local terminal in raw mode (every key a byte, Ctrl-C and Ctrl-Z included: the remote
 * PTY makes them signals) and guarantees it is put back: on restore(), on process exit (an
 * uncaught error included) and on SIGTERM / SIGHUP before anything else handles them.
 */
export function enterRawMode(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): RawTerminal {
  let restored = false;
  let fullScreen = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    process.off('SIGTERM', restore);
    process.off('SIGHUP', restore);
    try {
      stdin.setRawMode(false);
    } catch {
      // the terminal is gone (SIGHUP): nothing to put back
    }
    stdin.pause();
    try {
      stdout.write(`${fullScreen ? LEAVE_FULL_SCREEN : ''}${RESET_SCREEN}`);
    } catch {
      // the same
    }
  };
  stdin.setRawMode(true);
  // Node's raw mode keeps output processing (\n written as \r\n); the remote PTY did that already, and a
  // full-screen program's bare \n (cursor down, same column) must stay one. Output passes as it is,
  // as with ssh. setRawMode(false) puts the saved settings back, this one included.
  if (stdin === process.stdin) spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'], timeout: 2000 });
  stdin.resume();
  process.on('exit', restore);
  process.prependListener('SIGTERM', restore);
  process.prependListener('SIGHUP', restore);
  return {
    sawOutput(bytes) {
      const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const on = view.lastIndexOf('\x1b[?1049h');
      const off = view.lastIndexOf('\x1b[?1049l');
      if (on !== off) fullScreen = on > off;
    },
    restore,
  };
}
