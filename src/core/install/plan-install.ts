import { access } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { CheckCache } from '../../update/check-cache.js';
import { releaseRef } from '../../update/release-ref.js';
import type { UpdateChannel } from '../../update/versions.js';
import { readComposeFacts } from '../compose-file.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError } from '../errors.js';
import type { EventSink } from '../events.js';
import { composeFileOf, installLayout } from '../install-dir.js';
import { resolveStack, type ResolvedStack } from '../stack/resolve.js';
import { readSettingsFile } from '../settings.js';
import { chooseInstallVersion, REGISTRY_TIMEOUT_MS, type VersionChoice } from './choose-version.js';
import { composeNeedsRef, readComposeSource, type ComposeRelease } from './compose-source.js';
import { readEnvFile, type EnvFile } from './env-file.js';
import { checkContainerNames } from './container-names.js';
import { readEnvPlaceholders } from './env-placeholders.js';
import { checkComposeFile } from './compose-file-check.js';
import { runPreflight } from './preflight.js';
import { installSteps } from './steps.js';
import type { InstallOptions, InstallPlan, PreflightCheck } from './types.js';

export interface PlanInstallEnvironment {
  channel?: () => Promise<UpdateChannel>;
  cache?: CheckCache;
}

/**
 * Everything install will do, found out without changing anything: which stack, which images,
 * and whether this server can run it. Throws when a check fails.
 */
export async function planInstall(options: InstallOptions, deps: CoreDeps, sink: EventSink, signal?: AbortSignal, environment: PlanInstallEnvironment = {}): Promise<InstallPlan> {
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
  reportPreflight(checks, sink);

  const composeFile = composeFileOf(layout, stack);
  const installed = await installedTag(resolved, layout, env);
  const channel = await (environment.channel ?? settingsChannel)().catch(() => 'stable' as const);
  const choice = await chooseInstallVersion(
    { stack, channel, ...(options.tag !== undefined ? { requested: options.tag } : {}), ...(installed !== undefined ? { installed } : {}), ...(environment.cache ? { cache: environment.cache } : {}) },
    signal,
  );
  for (const warning of choice.warnings) sink({ type: 'warning', message: warning });
  sink({ type: 'info', message: `Version ${choice.tag}: ${choice.reason}` });
  const release = await composeRelease(resolved, layout, choice, sink, environment.cache, signal);
  if (release.ref !== release.tag) sink({ type: 'info', message: `Compose file of ${release.tag} from commit ${release.ref}` });
  stack.tag = choice.tag;
  const composeSource = await readComposeSource(resolved, layout, release, signal);
  const variables = { ...stack.env, ...env?.toRecord(), [stack.registryVariable]: stack.registry, [stack.tagVariable]: stack.tag, ...process.env };
  const facts = readComposeFacts(composeSource, composeFile, variables);
  if (facts.servicesWithoutImage.length > 0) {
    throw new OpenmatesError('invalid-stack', `The compose file has services without an image: ${facts.servicesWithoutImage.join(', ')}.`, 'Every service must name an image to pull; building is not supported.');
  }
  const nameChecks = await checkContainerNames(deps.engine, stack.name, facts.containerNames);
  reportPreflight(nameChecks, sink);
  checks.push(...nameChecks);
  const composeCheck = await checkComposeFile({ compose: await deps.compose(), stack, layout, composeSource, origin: stack.compose, existingEnv: env, ...(signal ? { signal } : {}) });
  reportPreflight([composeCheck], sink);
  checks.push(composeCheck);
  const alreadyInstalled = await access(layout.stackCopy).then(() => true, () => false);
  const warnings = checks.filter((check) => check.level === 'warning').length;
  sink({ type: 'step-finished', step: 'preflight', outcome: warnings > 0 ? 'warning' : 'done', detail: warnings > 0 ? `Server checked, ${warnings} warning${warnings > 1 ? 's' : ''}` : 'Server checked' });
  return {
    stack,
    stackSource: withTag(resolved.source, choice.tag),
    installDir: layout.root,
    composeFile,
    composeSource,
    alreadyInstalled,
    version: choice.tag,
    versionReason: choice.reason,
    ...(release.commit ? { composeCommit: release.commit } : {}),
    checks,
    placeholders: await readEnvPlaceholders(stack, deps.engine, layout.root),
    images: facts.images,
    steps: installSteps(facts.images.length),
  };
}

/**
 * The version an existing install runs: .env's tag variable, else the tag of the install's own
 * stack copy (install and update write the version there). Undefined for a fresh install dir.
 */
async function installedTag(resolved: ResolvedStack, layout: ReturnType<typeof installLayout>, env: EnvFile | undefined): Promise<string | undefined> {
  const hasInstall = resolved.fromInstall || (await access(layout.stackCopy).then(() => true, () => false)) || (await access(layout.uninstalledStackCopy).then(() => true, () => false));
  if (!hasInstall) return undefined;
  return env?.get(resolved.stack.tagVariable) || (resolved.fromInstall ? resolved.stack.tag : undefined);
}

/**
 * Which git ref `{ref}` becomes: the commit the release was built from (its version image's
 * revision label), else the tag. Not needed when the compose file is local or already installed.
 */
async function composeRelease(resolved: ResolvedStack, layout: ReturnType<typeof installLayout>, choice: VersionChoice, sink: EventSink, cache: CheckCache | undefined, signal?: AbortSignal): Promise<ComposeRelease & { commit?: string }> {
  const { stack } = resolved;
  const tag = choice.tag;
  if (!composeNeedsRef(stack)) return { tag, ref: tag };
  if (resolved.fromInstall && (await access(composeFileOf(layout, stack)).then(() => true, () => false))) return { tag, ref: tag };
  if (choice.registryUnreachable) {
    sink({ type: 'warning', message: `The commit of ${tag} is unknown without the registry; fetching its compose file from the git ref ${tag}.` });
    return { tag, ref: tag };
  }
  const deadline = AbortSignal.timeout(REGISTRY_TIMEOUT_MS);
  const found = await releaseRef({ registry: stack.registry, image: stack.versionImage, tag, ...(cache ? { cache } : {}) }, signal ? AbortSignal.any([signal, deadline]) : deadline);
  if (found.note) sink({ type: 'warning', message: `${found.note}.` });
  return { tag, ref: found.ref, ...(found.commit ? { commit: found.commit } : {}) };
}

/** The stack file's text with its `tag` set to the installed version (what a later repair keeps). */
function withTag(source: string, tag: string): string {
  const document = parseDocument(source);
  if (document.get('tag') === tag) return source;
  document.set('tag', tag);
  return document.toString();
}

async function settingsChannel(): Promise<UpdateChannel> {
  return (await readSettingsFile()).updateChannel;
}

/** Tells the face each check's result; throws the preflight error when any failed. */
function reportPreflight(checks: readonly PreflightCheck[], sink: EventSink): void {
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
}
