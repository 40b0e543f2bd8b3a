import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { OpenmatesError, messageOf } from '../core/errors.js';
import type { CookieJar } from './cookies.js';

/** What `openmates login` keeps. Everything but `account` and the dates is secret. */
export interface StoredSession {
  version: 1;
  apiBase: string;
  appOrigin: string;
  sessionId: string;
  cookies: CookieJar;
  wsToken: string | null;
  masterKey: string;
  account: { username: string | null; authorizedBy: string | null };
  loggedInAt: string;
  /** Set when the approving device chose an auto-logout; after it the session is dropped. */
  expiresAt: string | null;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * The session file: XDG_STATE_HOME/openmates/session.json (default ~/.local/state/...). It is
 * state of this machine, not a setting to edit or copy, so it lives apart from config.json.
 */
export function sessionFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const stateHome = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(stateHome, 'openmates', 'session.json');
}

/** The stored session, or undefined when there is none. A damaged file is an error naming it. */
export async function readSession(path: string): Promise<StoredSession | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('operation-failed', `Cannot read the session file ${path}: ${messageOf(error)}.`);
  }
  await tightenMode(path, FILE_MODE);
  const session = parseSession(text);
  if (!session) {
    throw new OpenmatesError('invalid-config', `The session file ${path} is damaged.`, 'Delete it with `openmates logout` and log in again.');
  }
  return session;
}

/**
 * Writes the session atomically: a 0600 temp file in the same 0700 directory, flushed, then
 * renamed over the old one, so a crash leaves the old file or the new one, never half of one.
 */
export async function writeSession(path: string, session: StoredSession): Promise<void> {
  const dir = dirname(path);
  // node:crypto loads here, not with the module: whoami reads the session and writes it only when cookies rotate.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    await tightenMode(dir, DIR_MODE);
    await removeLeftoverTemps(path);
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(`${JSON.stringify(session, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new OpenmatesError('operation-failed', `Cannot write the session file ${path}: ${messageOf(error)}.`, `Check that ${dir} is writable by you.`);
  }
}

/** Deletes the session file (and temp files an interrupted write left); true when there was one. */
export async function removeSession(path: string): Promise<boolean> {
  const existed = await stat(path).then(
    () => true,
    () => false,
  );
  try {
    await rm(path, { force: true });
    await removeLeftoverTemps(path);
  } catch (error) {
    throw new OpenmatesError('operation-failed', `Cannot delete the session file ${path}: ${messageOf(error)}.`, `Delete it by hand: rm ${path}`);
  }
  return existed;
}

async function removeLeftoverTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const entries = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(entries.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp')).map((name) => rm(join(dirname(path), name), { force: true })));
}

/** A file or directory we own that others may read is narrowed to `mode`. */
async function tightenMode(path: string, mode: number): Promise<void> {
  const info = await stat(path);
  if ((info.mode & 0o777 & ~mode) !== 0) await chmod(path, mode);
}

function parseSession(text: string): StoredSession | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const strings = ['apiBase', 'appOrigin', 'sessionId', 'masterKey', 'loggedInAt'] as const;
  if (record.version !== 1 || strings.some((key) => typeof record[key] !== 'string')) return undefined;
  if (typeof record.cookies !== 'object' || record.cookies === null) return undefined;
  const cookies = Object.fromEntries(Object.entries(record.cookies as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const account = (typeof record.account === 'object' && record.account !== null ? record.account : {}) as Record<string, unknown>;
  return {
    version: 1,
    apiBase: record.apiBase as string,
    appOrigin: record.appOrigin as string,
    sessionId: record.sessionId as string,
    cookies,
    wsToken: typeof record.wsToken === 'string' ? record.wsToken : null,
    masterKey: record.masterKey as string,
    account: { username: typeof account.username === 'string' ? account.username : null, authorizedBy: typeof account.authorizedBy === 'string' ? account.authorizedBy : null },
    loggedInAt: record.loggedInAt as string,
    expiresAt: typeof record.expiresAt === 'string' ? record.expiresAt : null,
  };
}
