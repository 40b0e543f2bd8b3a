import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileOps, openUndoJournal, type UndoBounds } from '../../../../src/core/files/index.js';
import type { UndoJournalOptions } from '../../../../src/core/files/undo-journal.js';

/** A shared root and a journal beside it (the agent keeps it in its state dir, outside the roots). */
export async function journalled(base: string, options: Partial<Omit<UndoJournalOptions, 'bounds'>> & { bounds?: UndoBounds } = {}) {
  const root = join(base, 'root');
  const dir = join(base, 'state', 'undo');
  await mkdir(root, { recursive: true });
  const bounds = options.bounds ?? { maxBytes: 1024 ** 3, maxAgeDays: 7 };
  const open = (extra: Partial<UndoJournalOptions> = {}) => openUndoJournal({ dir, ...options, bounds: async () => bounds, ...extra });
  const journal = open();
  const files = createFileOps({ roots: [root], fullAccess: false }, { journal });
  return { root, dir, journal, files, open, path: (name: string) => join(root, name) };
}
