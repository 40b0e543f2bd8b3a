import { recordingsDir } from '../state-dir.js';
import { undoBounds } from '../undo-bounds.js';
import { createRecordings, type Recordings } from './recordings.js';

/** The agent's recordings: in its state dir, bounded by the undo journal's settings (undo-max-size, undo-max-age), read at each start. */
export function openAgentRecordings(stateDir: string, warn?: (message: string) => void): Recordings {
  return createRecordings({ dir: recordingsDir(stateDir), bounds: undoBounds, ...(warn ? { warn } : {}) });
}
