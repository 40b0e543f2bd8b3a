import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, type CommandSpec } from '../command-spec.js';

export interface RemoteAccessUndoOptions {
  json: boolean;
  /** Absent: list the recent changes. */
  id?: string;
  force: boolean;
}

export const remoteAccessUndoCommandSpec: CommandSpec<RemoteAccessUndoOptions> = {
  path: ['remote-access', 'undo'],
  arguments: '[ID]',
  summary: 'the file changes made through remote access (id, when, device, what, size); with ID, put that change back',
  common: ['json'],
  flags: {
    force: { type: 'boolean', help: 'when the file was changed again since, keep both: the previous state is written beside it as NAME.undo-ID' },
  },
  parse: (flags) => {
    if (flags.positionals.length > 1) throw new OpenmatesError('usage', 'Usage: openmates remote-access undo [ID] [--force] [--json]', 'Pass one id from the list `openmates remote-access undo` prints.');
    const force = booleanFlag(flags, 'force');
    const id = flags.positionals[0];
    if (force && id === undefined) throw new OpenmatesError('usage', '--force needs the ID of the change to undo.', 'List the changes with `openmates remote-access undo`, then run `openmates remote-access undo ID --force`.');
    return { json: booleanFlag(flags, 'json'), force, ...(id !== undefined ? { id } : {}) };
  },
  run: async (options, context) => (await import('./remote-access-undo.js')).remoteAccessUndoCommand(options, context),
};
