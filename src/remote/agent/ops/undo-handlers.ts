import { OpenmatesError, isOpenmatesError } from '../../../core/errors.js';
import type { FileOps, UndoEntry, UndoJournal } from '../../../core/files/index.js';
import type { OpArgs } from '../../protocol/ops.js';
import type { HandlerContext } from './handler-types.js';

const DEFAULT_LIST_LIMIT = 100;

/** Inside the shared roots as they are now? (The journal outlives a restart with other roots.) */
async function inScope(files: FileOps, entry: UndoEntry): Promise<boolean> {
  for (const path of [entry.path, ...(entry.from === undefined ? [] : [entry.from])]) {
    try {
      await files.resolve(path);
    } catch (error) {
      if (isOpenmatesError(error) && error.kind === 'refused') return false;
      throw error;
    }
  }
  return true;
}

/** undo.*: the journal of file changes made through the agent, and putting one back on behalf of the calling device. */
export function undoHandlers(journal: UndoJournal, files: FileOps) {
  return {
    async 'undo.list'(args: OpArgs<'undo.list'>) {
      const limit = args.limit ?? DEFAULT_LIST_LIMIT;
      const entries: UndoEntry[] = [];
      for (const entry of await journal.list()) {
        if (entries.length >= limit) break;
        if (await inScope(files, entry)) entries.push(entry);
      }
      return { entries };
    },
    async 'undo.apply'(args: OpArgs<'undo.apply'>, context: HandlerContext) {
      const entry = (await journal.list()).find((candidate) => candidate.id === args.id.trim().toLowerCase());
      if (entry && !(await inScope(files, entry))) {
        throw new OpenmatesError('refused', `Refused to undo ${entry.id}: ${JSON.stringify(entry.path)} is outside the folders shared now.`, 'Undo it on the server with `openmates remote-access undo ID`, or start remote access with that folder as a --root.');
      }
      return journal.undo(args.id, { force: args.force, actor: { id: context.device.id, name: context.device.name } });
    },
  };
}
