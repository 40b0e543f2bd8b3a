export { TERMINAL_SIGNALS, type TerminalSignal } from './terminal-signals.js';

/** How a terminal's shell ended: its exit code, or the signal that killed it. */
export interface TerminalExit {
  exitCode: number | null;
  signal?: string;
}

export interface TerminalInfo {
  id: string;
  shell: string;
  cwd: string;
  cols: number;
  rows: number;
  startedAt: string;
  /** Names of the devices reading its output now. */
  attached: string[];
  /** Bytes of output so far (the next byte's offset). */
  outputBytes: number;
  exit?: TerminalExit;
}

/** One piece of output: `bytes` start at offset `seq` of the terminal's whole output. */
export interface TerminalOutput {
  seq: number;
  bytes: Buffer;
}
