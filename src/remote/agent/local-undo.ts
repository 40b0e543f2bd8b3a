import { isOpenmatesError } from '../../core/errors.js';
import type { UndoJournal, UndoResult } from '../../core/files/index.js';
import type { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';
import { auditTarget } from './audit-target.js';

/** Who an undo asked for on the server itself (the CLI) is, in the journal and the audit log. */
export const LOCAL_UNDO_DEVICE = { id: 'local', name: 'openmates remote-access undo' } as const;

/** An undo asked for on the server (the control socket, or the CLI while no agent runs): applied and audited like a device's. */
export async function applyLocalUndo(journal: UndoJournal, audit: AuditLog, request: { id: string; force?: boolean }, onRecord?: (record: AuditRecord) => void): Promise<UndoResult> {
  const started = Date.now();
  const args = { id: request.id, ...(request.force ? { force: true } : {}) };
  const record = async (code: string | undefined, result?: UndoResult) => {
    const written = await audit.append({
      device: { ...LOCAL_UNDO_DEVICE },
      role: 'local',
      op: 'undo.apply',
      target: auditTarget('undo.apply', args, '', result),
      decision: code === 'refused' ? 'refused' : 'allowed',
      result: code === undefined ? 'ok' : 'error',
      ...(code !== undefined ? { code } : {}),
      bytes: 0,
      durationMs: Date.now() - started,
    });
    onRecord?.(written);
  };
  let result: UndoResult;
  try {
    result = await journal.undo(request.id, { force: request.force, actor: { ...LOCAL_UNDO_DEVICE } });
  } catch (error) {
    await record(isOpenmatesError(error) ? error.kind : 'internal');
    throw error;
  }
  await record(undefined, result);
  return result;
}
