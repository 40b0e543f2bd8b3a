import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { releaseRef } from '../../update/release-ref.js';
import { OpenmatesError, messageOf } from '../errors.js';
import { composeFileOf, type InstallLayout } from '../install-dir.js';
import type { ResolvedStack } from '../stack/resolve.js';

const DOWNLOAD_TIMEOUT_MS = 20_000;

/** The compose file's text: the install's own copy, a file beside the stack file, or a download. */
export async function readComposeSource(resolved: ResolvedStack, layout: InstallLayout, signal?: AbortSignal): Promise<string> {
  const { stack } = resolved;
  if (resolved.fromInstall) {
    const installed = await readIfExists(composeFileOf(layout, stack));
    if (installed !== undefined) return installed;
  }
  const location = stack.compose.replaceAll('{ref}', releaseRef(stack.tag));
  if (/^https?:\/\//.test(location)) return download(location, signal);
  if (!resolved.baseDir) throw new OpenmatesError('invalid-stack', `${resolved.origin}: "compose" must be a URL.`);
  const path = resolve(resolved.baseDir, location);
  const text = await readIfExists(path);
  if (text === undefined) {
    throw new OpenmatesError('invalid-stack', `The compose file ${path} named in ${resolved.origin} does not exist.`, 'Fix the "compose" field of the stack file.');
  }
  return text;
}

async function download(url: string, signal?: AbortSignal): Promise<string> {
  const timeout = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while downloading the compose file.');
    const reason = timeout.aborted ? `no answer within ${DOWNLOAD_TIMEOUT_MS / 1000} s` : messageOf((error as Error).cause ?? error);
    throw new OpenmatesError(
      'operation-failed',
      `Could not download the compose file from ${url}: ${reason}.`,
      'Check that this server can reach the internet, or install from a local stack file with --stack FILE.',
    );
  }
  if (!response.ok) {
    throw new OpenmatesError(
      'operation-failed',
      `Could not download the compose file from ${url}: HTTP ${response.status}.`,
      response.status === 404 ? 'The release tag may not exist; check the "tag" of the stack.' : undefined,
    );
  }
  return response.text();
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('operation-failed', `Cannot read ${path}: ${messageOf(error)}.`);
  }
}
