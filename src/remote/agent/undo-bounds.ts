import { openUndoJournal, type UndoBounds, type UndoJournal } from '../../core/files/index.js';
import { readSettingsFile } from '../../core/settings.js';
import { undoJournalDir } from './state-dir.js';

/** The settings' bounds, read before each change so `openmates config set undo-max-size` applies at once. */
export async function undoBounds(): Promise<UndoBounds> {
  const settings = await readSettingsFile();
  return { maxBytes: settings.undoMaxBytes, maxAgeDays: settings.undoMaxAgeDays };
}

/** The agent's undo journal (in its state dir, bounded by the settings). */
export function openAgentUndoJournal(stateDir: string): UndoJournal {
  return openUndoJournal({ dir: undoJournalDir(stateDir), bounds: undoBounds });
}
