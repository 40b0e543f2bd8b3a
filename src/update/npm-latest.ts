import { OpenmatesError } from '../core/errors.js';
import { fetchFailureReason, timedOut } from './fetch-failure.js';

/**
 * The version the npm registry's `latest` dist-tag points at (`GET <registry>/<package>`, the
 * abbreviated document npm itself asks for). Failures are OpenmatesError('operation-failed').
 */
export async function latestNpmVersion(registry: string, packageName: string, signal?: AbortSignal): Promise<string> {
  // Scoped names keep their "@" but escape the "/", as npm does.
  const url = `${registry}/${packageName.replace('/', '%2f')}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted && !timedOut(signal)) throw new OpenmatesError('interrupted', `Stopped while asking ${registry} for the newest ${packageName}.`);
    const reason = timedOut(signal) ? 'no answer in time' : fetchFailureReason(error, new URL(registry).host);
    throw new OpenmatesError('operation-failed', `Cannot ask ${registry} for the newest ${packageName}: ${reason}.`);
  }
  if (!response.ok) throw new OpenmatesError('operation-failed', `Cannot ask ${registry} for the newest ${packageName}: HTTP ${response.status}.`);
  let body: { 'dist-tags'?: { latest?: unknown } };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new OpenmatesError('operation-failed', `Cannot ask ${registry} for the newest ${packageName}: the answer is not JSON.`);
  }
  const latest = body['dist-tags']?.latest;
  if (typeof latest !== 'string') throw new OpenmatesError('operation-failed', `${registry} names no latest version of ${packageName}.`);
  return latest;
}
