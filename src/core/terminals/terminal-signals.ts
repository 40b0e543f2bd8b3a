/** Signals a client may send to a terminal's foreground programs (also the wire's list: no Node types here, the web page builds it). */
export const TERMINAL_SIGNALS = ['INT', 'TERM', 'HUP', 'KILL', 'TSTP', 'CONT'] as const;
export type TerminalSignal = (typeof TERMINAL_SIGNALS)[number];
