import type { UndoEntry, UndoResult } from '../../core/files/index.js';
import { openAuditLog } from './audit-log.js';
import { askAgent } from './control-client.js';
import { controlSocketPath } from './control-path.js';
import { openAgentUndoJournal } from './undo-bounds.js';
import { applyLocalUndo } from './local-undo.js';

/** The journal's recent changes: from the running agent, or the journal itself when none runs. */
export async function listUndo(stateDir: string, limit?: number): Promise<UndoEntry[]> {
  const answer = (await askAgent(controlSocketPath(stateDir).path, { op: 'undo.list', ...(limit !== undefined ? { limit } : {}) })) as UndoEntry[] | undefined;
  return answer ?? (await openAgentUndoJournal(stateDir).list(limit));
}

/**
 * Puts a change back: through the running agent (so its audit log keeps one writer), or, when
 * none runs, in the journal and the audit log directly. Not guarded: an agent started during
 * these few milliseconds would write the audit log too (`audit --verify` would then show it).
 */
export async function applyUndo(stateDir: string, id: string, force: boolean): Promise<UndoResult> {
  const request = { id, ...(force ? { force } : {}) };
  const answer = (await askAgent(controlSocketPath(stateDir).path, { op: 'undo.apply', ...request })) as UndoResult | undefined;
  if (answer) return answer;
  const journal = openAgentUndoJournal(stateDir);
  const audit = await openAuditLog(stateDir);
  try {
    return await applyLocalUndo(journal, audit, request);
  } finally {
    await audit.close();
  }
}
