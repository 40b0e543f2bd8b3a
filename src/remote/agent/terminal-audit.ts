import type { TerminalExit } from '../../core/terminals/index.js';
import type { TerminalInfoWire } from '../protocol/ops.js';
import type { AuditEntry } from './audit-record.js';

/** The one audit line of a terminal's end: how its shell ended, how long it ran, how much it wrote, and its recording. */
export function terminalEndedEntry(info: TerminalInfoWire, exit: TerminalExit, role: string): AuditEntry {
  const how = exit.signal ? `killed by ${exit.signal}` : `exit ${exit.exitCode}`;
  return {
    device: info.device,
    role,
    op: 'terminal.ended',
    target: `${info.id}: ${info.shell} in ${info.cwd}, ${how}`,
    decision: 'allowed',
    result: exit.exitCode === 0 ? 'ok' : 'error',
    bytes: info.outputBytes,
    durationMs: Date.now() - Date.parse(info.startedAt),
    ...(info.recording ? { recording: info.recording } : {}),
  };
}
