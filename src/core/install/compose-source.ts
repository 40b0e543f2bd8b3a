import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OpenmatesError, messageOf } from '../errors.js';
import { composeFileOf, type InstallLayout } from '../install-dir.js';
import type { ResolvedStack } from '../stack/resolve.js';
import type { Stack } from '../stack/schema.js';

const DOWNLOAD_TIMEOUT_MS = 20_000;

/** Which release's compose file is read: `{ref}` in the stack's `compose` becomes `ref`. */
export interface ComposeRelease {
  /** The version ("v1.1.0"), for messages. */
  tag: string;
  /** The git ref of that version (its commit, else the tag). */
  ref: string;
}

/** True when the stack's compose file is fetched per release (its `compose` holds `{ref}`). */
export function composeNeedsRef(stack: Stack): boolean {
  return stack.compose.includes('{ref}');
}

/** The compose file's text: the install's own copy, a file beside the stack file, or a download. */
export async function readComposeSource(resolved: ResolvedStack, layout: InstallLayout, release: ComposeRelease, signal?: AbortSignal): Promise<string> {
  const { stack } = resolved;
  if (resolved.fromInstall) {
    const installed = await readIfExists(composeFileOf(layout, stack));
    if (installed !== undefined) return installed;
  }
  const location = stack.compose.replaceAll('{ref}', release.ref);
  if (/^https?:\/\//.test(location)) return download(location, release, signal);
  if (!resolved.baseDir) throw new OpenmatesError('invalid-stack', `${resolved.origin}: "compose" must be a URL.`);
  const path = resolve(resolved.baseDir, location);
  const text = await readIfExists(path);
  if (text === undefined) {
    throw new OpenmatesError('invalid-stack', `The compose file ${path} named in ${resolved.origin} does not exist.`, 'Fix the "compose" field of the stack file.');
  }
  return text;
}

async function download(url: string, release: ComposeRelease, signal?: AbortSignal): Promise<string> {
  const timeout = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  const of = `the compose file of ${release.tag}${release.ref !== release.tag ? ` (commit ${release.ref})` : ''}`;
  const hint = 'Check that this server can reach it; or install from a local compose file: a stack file whose "compose" names it, with --stack FILE.';
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while downloading the compose file.');
    const reason = timeout.aborted ? `no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s` : messageOf((error as Error).cause ?? error);
    throw new OpenmatesError('operation-failed', `Could not download ${of} from ${url}: ${reason}.`, hint);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new OpenmatesError('operation-failed', `Could not download ${of} from ${url}: HTTP ${response.status}.`, hint);
  }
  try {
    return await response.text();
  } catch (error) {
    throw new OpenmatesError('operation-failed', `Could not download ${of} from ${url}: ${messageOf(error)}.`, hint);
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('operation-failed', `Cannot read ${path}: ${messageOf(error)}.`);
  }
}
