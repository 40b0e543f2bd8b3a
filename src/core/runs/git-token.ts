import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenmatesError } from '../errors.js';
import { settingsDir } from '../settings.js';

/** Where a git token may be kept instead of GIT_TOKEN: one line, a 0600 file. */
export function gitTokenFile(): string {
  return join(settingsDir(), 'git-token');
}

/** GIT_TOKEN from the environment, else the token file; a file others can read is refused (it would be a leaked secret). */
export async function readGitToken(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.GIT_TOKEN) return env.GIT_TOKEN;
  const file = gitTokenFile();
  const info = await stat(file).catch(() => undefined);
  if (!info) return undefined;
  if ((info.mode & 0o077) !== 0) throw new OpenmatesError('unsafe', `${file} can be read by other users (mode ${(info.mode & 0o777).toString(8)}), so its token is not used.`, `chmod 600 ${file}`);
  const token = (await readFile(file, 'utf8')).trim();
  return token || undefined;
}
