export { ByteRing, type RingRead } from './byte-ring.js';
export { loadPty, type PtyModule } from './load-pty.js';
export { TerminalManager, TERMINAL_DEFAULTS, type CreateTerminalRequest, type TerminalManagerOptions } from './terminal-manager.js';
export { TerminalReader, TerminalSession, type TerminalRead } from './terminal-session.js';
export { TERMINAL_SIGNALS, type TerminalExit, type TerminalInfo, type TerminalOutput, type TerminalSignal } from './terminal-types.js';
