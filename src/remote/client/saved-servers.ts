import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { OpenmatesError, messageOf } from '../../core/errors.js';
import { ensurePrivateFolder } from '../../core/files/private-folder.js';
import { writeSecretFile } from '../../core/install/env-file.js';
import { settingsDir } from '../../core/settings.js';
import { parseLink } from '../link.js';

/**
 * The links of the servers a person reaches, by a name of their choosing (`openmates remote
 * servers add NAME --link-file FILE`, then `openmates remote --to NAME ...`). A link is a device
 * key: the file is 0600 in a 0700 folder, and nothing here ever prints one.
 */
export interface SavedServer {
  name: string;
  link: string;
  added: string;
}

const fileSchema = z.object({ version: z.literal(1), servers: z.array(z.object({ name: z.string(), link: z.string(), added: z.string() })) });
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** $XDG_CONFIG_HOME/openmates/remote-servers.json (else ~/.config/openmates/...). */
export function savedServersPath(): string {
  return join(settingsDir(), 'remote-servers.json');
}

export async function listSavedServers(path = savedServersPath()): Promise<SavedServer[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new OpenmatesError('invalid-config', `The saved servers file ${path} cannot be read: ${messageOf(error)}.`, 'Check its permissions (it should belong to you, mode 0600).');
  }
  let parsed;
  try {
    parsed = fileSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new OpenmatesError('invalid-config', `The saved servers file ${path} is damaged.`, 'Move it away and add the servers again (openmates remote servers add NAME --link-file FILE).');
  return parsed.data.servers;
}

export async function addSavedServer(name: string, linkText: string, path = savedServersPath()): Promise<SavedServer> {
  if (!NAME.test(name)) throw new OpenmatesError('usage', `"${name}" is not a usable server name.`, 'Use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit (e.g. "home" or "e2b-1").');
  const link = linkText.trim();
  parseLink(link); // a malformed link is refused now, not at the first --to
  const servers = await listSavedServers(path);
  if (servers.some((server) => server.name === name)) {
    throw new OpenmatesError('usage', `A server named "${name}" is saved already.`, `Pick another name, or remove it first: openmates remote servers rm ${name}.`);
  }
  const added = { name, link, added: new Date().toISOString() };
  await save(path, [...servers, added]);
  return added;
}

export async function removeSavedServer(name: string, path = savedServersPath()): Promise<void> {
  const servers = await listSavedServers(path);
  if (!servers.some((server) => server.name === name)) throw unknownServer(name, servers);
  await save(path, servers.filter((server) => server.name !== name));
}

/** The link saved under `name`; a usage error naming the saved ones when there is none. */
export async function savedServerLink(name: string, path = savedServersPath()): Promise<string> {
  const servers = await listSavedServers(path);
  const found = servers.find((server) => server.name === name);
  if (!found) throw unknownServer(name, servers);
  return found.link;
}

function unknownServer(name: string, servers: SavedServer[]): OpenmatesError {
  return new OpenmatesError(
    'usage',
    `No server named "${name}" is saved.`,
    servers.length > 0 ? `Saved servers: ${servers.map((server) => server.name).join(', ')}.` : 'Save one with: openmates remote servers add NAME --link-file FILE.',
  );
}

async function save(path: string, servers: SavedServer[]): Promise<void> {
  await ensurePrivateFolder(join(path, '..'));
  await writeSecretFile(path, `${JSON.stringify({ version: 1, servers }, null, 2)}\n`);
}
