import { access } from 'node:fs/promises';
import { readComposeFacts } from '../compose-file.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError } from '../errors.js';
import type { EventSink } from '../events.js';
import { composeFileOf, installLayout } from '../install-dir.js';
import { resolveStack } from '../stack/resolve.js';
import { checkComposeFile } from './compose-file-check.js';
import { readComposeSource } from './compose-source.js';
import { readEnvFile } from './env-file.js';
import { runPreflight } from './preflight.js';
import { installSteps } from './steps.js';
import type { InstallOptions, InstallPlan } from './types.js';

/**
 * Everything install will do, found out without changing anything: which stack, which images,
 * and whether this server can run it. Throws when a check fails.
 */
export async function planInstall(options: InstallOptions, deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<InstallPlan> {
  const layout = installLayout(options.installDir);
  sink({ type: 'step-started', step: 'preflight', title: 'Checking this server' });
  const resolved = await resolveStack(layout, options.stackFile);
  const { stack } = resolved;
  if (options.healthTimeout !== undefined) stack.healthTimeout = options.healthTimeout;

  const checks = await runPreflight({
    engine: deps.engine,
    compose: deps.compose,
    stack,
    installDir: layout.root,
    strictRequirements: options.strictRequirements ?? false,
  });
  const env = await readEnvFile(layout.envFile);
  if (!env) {
    const existing = await deps.engine.existingVolumes(stack.volumes.data);
    if (existing.length > 0) {
      throw new OpenmatesError(
        'unsafe',
        `The data volumes ${existing.join(', ')} already exist but ${layout.envFile} is missing.`,
        `New secrets would lock the existing data out. Put the old .env back into ${layout.root} (from a backup or the uninstall copy) and run install again; or, to start from scratch and delete that data, remove the volumes yourself (docker volume rm ${existing.join(' ')}).`,
      );
    }
  }
  for (const check of checks) {
    sink({ type: 'check', name: check.name, ok: check.level !== 'error', detail: check.detail, level: check.level, hint: check.hint });
    if (check.level === 'warning') sink({ type: 'warning', message: `${check.name}: ${check.detail}.`, hint: check.hint });
  }
  const failed = checks.filter((check) => check.level === 'error');
  if (failed.length > 0) {
    const [first, ...others] = failed;
    sink({ type: 'step-failed', step: 'preflight', message: `${first!.name}: ${first!.detail}` });
    throw new OpenmatesError(
      'preflight',
      `Preflight failed: ${first!.name}: ${first!.detail}.`,
      first!.hint,
      others.map((check) => `${check.name}: ${check.detail}.${check.hint ? ` ${check.hint}` : ''}`),
    );
  }

  const composeFile = composeFileOf(layout, stack);
  const composeSource = await readComposeSource(resolved, layout, signal);
  const variables = { ...stack.env, ...env?.toRecord(), [stack.registryVariable]: stack.registry, [stack.tagVariable]: stack.tag, ...process.env };
  const facts = readComposeFacts(composeSource, composeFile, variables);
  if (facts.servicesWithoutImage.length > 0) {
    throw new OpenmatesError('invalid-stack', `The compose file has services without an image: ${facts.servicesWithoutImage.join(', ')}.`, 'Every service must name an image to pull; building is not supported.');
  }
  const composeCheck = await checkComposeFile({ compose: await deps.compose(), stack, layout, composeSource, origin: stack.compose, existingEnv: env, ...(signal ? { signal } : {}) });
  sink({ type: 'check', name: composeCheck.name, ok: composeCheck.level !== 'error', detail: composeCheck.detail, level: composeCheck.level, hint: composeCheck.hint });
  if (composeCheck.level === 'error') {
    sink({ type: 'step-failed', step: 'preflight', message: `${composeCheck.name}: ${composeCheck.detail}` });
    throw new OpenmatesError('preflight', `Preflight failed: ${composeCheck.name}: ${composeCheck.detail}.`, composeCheck.hint);
  }
  checks.push(composeCheck);
  const alreadyInstalled = await access(layout.stackCopy).then(() => true, () => false);
  const warnings = checks.filter((check) => check.level === 'warning').length;
  sink({ type: 'step-finished', step: 'preflight', outcome: warnings > 0 ? 'warning' : 'done', detail: warnings > 0 ? `Server checked, ${warnings} warning${warnings > 1 ? 's' : ''}` : 'Server checked' });
  return {
    stack,
    stackSource: resolved.source,
    installDir: layout.root,
    composeFile,
    composeSource,
    alreadyInstalled,
    version: stack.tag,
    checks,
    images: facts.images,
    steps: installSteps(facts.images.length),
  };
}
