import { readFile } from 'node:fs/promises';
import { OpenmatesError } from '../errors.js';
import { readComposeSource } from '../install/compose-source.js';
import { composeFileOf } from '../install-dir.js';
import type { InstalledVersion } from './installed-version.js';

export async function readInstalledCompose(installed: InstalledVersion): Promise<string> {
  const path = composeFileOf(installed.layout, installed.stack);
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new OpenmatesError('operation-failed', `The compose file ${path} of the install is missing.`, 'Repair the install with `openmates server install`, then update.');
  }
}

/**
 * The compose file a release runs with. A stack whose compose file is fetched per release (a URL
 * with `{ref}`) gets that release's; otherwise the installed one serves every version.
 */
export async function composeOfRelease(installed: InstalledVersion, tag: string, installedCompose: string, signal?: AbortSignal): Promise<string> {
  if (!/^https?:\/\//.test(installed.stack.compose)) return installedCompose;
  return readComposeSource(
    { stack: { ...installed.stack, tag }, source: installed.stackSource, origin: installed.layout.stackCopy, baseDir: installed.layout.root, fromInstall: false },
    installed.layout,
    signal,
  );
}
