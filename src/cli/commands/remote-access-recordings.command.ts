import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, type CommandSpec } from '../command-spec.js';

export interface RemoteAccessRecordingsOptions {
  json: boolean;
  /** Absent: list them. */
  name?: string;
  raw: boolean;
}

export const remoteAccessRecordingsCommandSpec: CommandSpec<RemoteAccessRecordingsOptions> = {
  path: ['remote-access', 'recordings'],
  summary: 'the recordings of remote terminal sessions (asciicast files): name, when, device, size, duration',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json'), raw: false }),
  run: async (options, context) => (await import('./remote-access-recordings.js')).remoteAccessRecordingsCommand(options, context),
};

export const remoteAccessRecordingsShowCommandSpec: CommandSpec<RemoteAccessRecordingsOptions> = {
  path: ['remote-access', 'recordings', 'show'],
  arguments: 'NAME',
  summary: 'where one recording is and how to play it; --raw writes what the session printed to stdout',
  common: ['json'],
  flags: {
    raw: { type: 'boolean', help: 'write the recorded output (escape sequences and all) to stdout instead, e.g. into a file or a terminal' },
  },
  parse: (flags) => {
    if (flags.positionals.length !== 1) throw new OpenmatesError('usage', 'Usage: openmates remote-access recordings show NAME [--raw] [--json]', 'Pass one name from the list `openmates remote-access recordings` prints.');
    const raw = booleanFlag(flags, 'raw');
    const json = booleanFlag(flags, 'json');
    if (raw && json) throw new OpenmatesError('usage', '--raw and --json do not go together: --raw writes the recorded output itself to stdout.', 'Leave out one of them.');
    return { json, raw, name: flags.positionals[0]! };
  },
  run: async (options, context) => (await import('./remote-access-recordings.js')).remoteAccessRecordingsCommand(options, context),
};
