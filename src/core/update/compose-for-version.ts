import { readFile } from 'node:fs/promises';
import type { CheckCache } from '../../update/check-cache.js';
import { releaseRef } from '../../update/release-ref.js';
import { OpenmatesError } from '../errors.js';
import { composeNeedsRef, readComposeSource } from '../install/compose-source.js';
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

export interface ReleaseCompose {
  source: string;
  /** The git commit it was fetched from (the release's revision label), when it was. */
  commit?: string;
  /** Why the tag itself was the git ref (the image has no revision label). */
  note?: string;
}

/**
 * The compose file a release runs with. A stack whose compose file is fetched per release (a URL
 * with `{ref}`) gets that release's, from the commit its version image names; otherwise the
 * installed one serves every version.
 */
export async function composeOfRelease(
  installed: InstalledVersion,
  tag: string,
  installedCompose: string,
  options: { cache?: CheckCache; signal?: AbortSignal } = {},
): Promise<ReleaseCompose> {
  const { stack } = installed;
  if (!/^https?:\/\//.test(stack.compose)) return { source: installedCompose };
  const found = composeNeedsRef(stack)
    ? await releaseRef({ registry: installed.registry, image: stack.versionImage, tag, ...(options.cache ? { cache: options.cache } : {}) }, options.signal)
    : { ref: tag };
  const source = await readComposeSource(
    { stack: { ...stack, tag }, source: installed.stackSource, origin: installed.layout.stackCopy, baseDir: installed.layout.root, fromInstall: false },
    installed.layout,
    { tag, ref: found.ref },
    options.signal,
  );
  return { source, ...('commit' in found && found.commit ? { commit: found.commit } : {}), ...('note' in found && found.note ? { note: found.note } : {}) };
}
