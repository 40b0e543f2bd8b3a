import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { OpenmatesError } from '../../core/errors.js';
import type { FileOps } from '../../core/files/index.js';

/**
 * Which shell a terminal.create runs and where: the asked-for shell (an absolute path to an
 * executable) or the agent's $SHELL, else /bin/sh; the asked-for folder inside the shared roots,
 * else the first root. The approval shows exactly these, and the handler runs exactly these.
 */
export async function terminalTarget(services: { files: FileOps; roots: string[] }, args: { shell?: string; cwd?: string }, env: NodeJS.ProcessEnv = process.env): Promise<{ shell: string; cwd: string }> {
  const shell = args.shell ?? (env.SHELL && isAbsolute(env.SHELL) ? env.SHELL : '/bin/sh');
  if (!isAbsolute(shell)) throw new OpenmatesError('usage', `The shell must be an absolute path, not ${shell}.`, 'pass e.g. --shell /bin/bash');
  try {
    await access(shell, constants.X_OK);
  } catch {
    throw new OpenmatesError('usage', `There is no executable shell at ${shell} on the server.`, 'pass the absolute path of an installed shell (see /etc/shells), or leave --shell out');
  }
  const cwd = args.cwd === undefined ? services.roots[0]! : await services.files.resolve(args.cwd);
  const info = await stat(cwd).catch(() => undefined);
  if (!info?.isDirectory()) throw new OpenmatesError('usage', `${cwd} is not a folder on the server.`, 'pass a folder inside the shared roots with --cwd');
  return { shell, cwd };
}
