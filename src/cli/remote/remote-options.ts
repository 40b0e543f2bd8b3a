import { readFile } from 'node:fs/promises';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { booleanFlag, stringFlag, type FlagSpec, type ParsedFlags } from '../command-spec.js';

/** Flags every `openmates remote ...` command takes. */
export const REMOTE_FLAGS: Record<string, FlagSpec> = {
  'link-file': { type: 'string', value: 'FILE', help: 'the device link, read from this file (else OPENMATES_REMOTE_LINK)' },
  to: { type: 'string', value: 'NAME', help: 'the server saved under this name (openmates remote servers add NAME --link-file FILE) instead of --link-file' },
  'with-host': { type: 'boolean', help: 'also print the host facts (CPU, memory, disks, ports, containers) that came with the answer' },
};

export interface RemoteOptions {
  linkFile?: string;
  /** A saved server's name (src/remote/client/saved-servers.ts). */
  to?: string;
  withHost: boolean;
  json: boolean;
}

export function remoteOptions(flags: ParsedFlags): RemoteOptions {
  const linkFile = stringFlag(flags, 'link-file');
  const to = stringFlag(flags, 'to');
  if (linkFile !== undefined && to !== undefined) throw new OpenmatesError('usage', 'Pass either --to NAME or --link-file FILE, not both.');
  return { ...(linkFile !== undefined ? { linkFile } : {}), ...(to !== undefined ? { to } : {}), withHost: booleanFlag(flags, 'with-host'), json: booleanFlag(flags, 'json') };
}

/** The link: a file (never argv: a link is a secret) or the environment. */
export async function readRemoteLink(options: RemoteOptions): Promise<string> {
  // Loaded only here: it brings zod and the settings, which every other command's start-up skips.
  if (options.to !== undefined) return (await import('../../remote/client/saved-servers.js')).savedServerLink(options.to);
  if (options.linkFile !== undefined) {
    try {
      return (await readFile(options.linkFile, 'utf8')).trim();
    } catch (error) {
      throw new OpenmatesError('usage', `Cannot read the link file ${options.linkFile}: ${messageOf(error)}.`, 'Pass the file that holds the device link (from `openmates remote-access devices add`).');
    }
  }
  const link = process.env.OPENMATES_REMOTE_LINK?.trim();
  if (!link) {
    throw new OpenmatesError('usage', 'No device link: pass --to NAME (a saved server), --link-file FILE or set OPENMATES_REMOTE_LINK.', 'Get a link on the server with `openmates remote-access devices add NAME`.');
  }
  return link;
}
