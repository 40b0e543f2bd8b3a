/**
 * Before an update stops anything: the found Compose must be able to run the target release's
 * compose file (a release that adds a top-level `name:` cannot run on Compose v1).
 */
import type { ComposeCli } from '../../docker/types.js';
import { OpenmatesError } from '../errors.js';
import { checkComposeFile } from '../install/compose-file-check.js';
import type { InstalledVersion } from './installed-version.js';

export async function refuseComposeThatCannotRun(compose: ComposeCli, installed: InstalledVersion, target: string, targetCompose: string, signal?: AbortSignal): Promise<void> {
  const check = await checkComposeFile({
    compose,
    stack: { ...installed.stack, tag: target, registry: installed.registry },
    layout: installed.layout,
    composeSource: targetCompose,
    origin: `of ${target}`,
    existingEnv: installed.env,
    ...(signal ? { signal } : {}),
  });
  if (check.level === 'error') throw new OpenmatesError('preflight', `Cannot update to ${target}: ${check.detail}.`, `${check.hint ?? ''} Nothing was changed.`.trim());
}
