import { relative } from 'node:path';
import { backupsDirOf } from '../backup/backup-files.js';
import { availableTags } from '../../update/available-versions.js';
import type { CheckCache } from '../../update/check-cache.js';
import { compareTags, newestRelease, releaseTags, type UpdateChannel } from '../../update/versions.js';
import { readComposeFacts, type ComposeFileFacts } from '../compose-file.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError } from '../errors.js';
import type { EventSink } from '../events.js';
import { isHealthy, takeSnapshot } from '../health/wait-for-healthy.js';
import { composeFileOf } from '../install-dir.js';
import { readSettingsFile } from '../settings.js';
import { composeOfRelease, readInstalledCompose } from './compose-for-version.js';
import { refuseComposeThatCannotRun } from './target-compose-check.js';
import { diskNeeds } from './disk-space.js';
import { readInstalledVersion, type InstalledVersion } from './installed-version.js';
import { defaultRecovery, routeFor } from './recovery.js';
import { forwardSteps, rollbackSteps } from './steps.js';
import type { UpdateOptions, UpdatePlan } from './types.js';
import { readUpdateState } from './update-state.js';

const REGISTRY_TIMEOUT_MS = 20_000;

export interface PlanUpdateEnvironment {
  channel?: () => Promise<UpdateChannel>;
  cache?: CheckCache;
}

/**
 * Everything an update will do, found out without changing anything: current and target
 * version (the newest release of the channel, or --to), the images to pull, the backup, the disk
 * it needs, and an interrupted update to finish or roll back. An interrupted update is planned
 * from its record alone, so it can be resolved with the registry unreachable.
 */
export async function planUpdate(options: UpdateOptions, deps: CoreDeps, sink: EventSink, signal?: AbortSignal, environment: PlanUpdateEnvironment = {}): Promise<UpdatePlan> {
  sink({ type: 'step-started', step: 'plan', title: 'Planning the update' });
  const installed = await readInstalledVersion(options.installDir);
  if (!installed) {
    throw new OpenmatesError('not-installed', `Nothing is installed in ${options.installDir}.`, `Install first: openmates server install --path ${options.installDir}`);
  }
  const { stack, layout } = installed;
  const interrupted = await readUpdateState(layout);
  if (interrupted?.running) {
    throw new OpenmatesError(
      'operation-failed',
      `An update of ${layout.root} from ${interrupted.from} to ${interrupted.to} is running right now (openmates, pid ${interrupted.pid}).`,
      'Wait for it to end (or stop it with Ctrl-C in its terminal), then run this again.',
    );
  }
  if (options.to && interrupted && options.to !== interrupted.to) {
    throw new OpenmatesError('usage', `An interrupted update to ${interrupted.to} has to be finished or rolled back before updating to ${options.to}.`, 'Run `openmates server update` without --to first.');
  }
  const overridden = process.env[stack.tagVariable];
  if (overridden !== undefined) {
    throw new OpenmatesError('preflight', `${stack.tagVariable} is set in the environment (${overridden}), and Compose would use it instead of .env.`, `Unset it (unset ${stack.tagVariable}) and run the update again.`);
  }
  await deps.engine.ping();
  const channel = await (environment.channel ?? settingsChannel)().catch(() => 'stable' as const);
  const warnings: string[] = [];

  let current = installed.tag;
  let target: string;
  let latest: string | undefined;
  if (interrupted) {
    current = interrupted.from;
    target = interrupted.to;
  } else {
    const deadline = AbortSignal.timeout(options.registryTimeoutMs ?? REGISTRY_TIMEOUT_MS);
    sink({ type: 'info', message: `Asking ${installed.registry} for the versions of ${stack.versionImage}` });
    const found = await availableTags(
      { registry: installed.registry, image: stack.versionImage, fresh: true, ...(environment.cache ? { cache: environment.cache } : {}) },
      signal ? AbortSignal.any([signal, deadline]) : deadline,
    );
    latest = newestRelease(found.tags, channel);
    target = chooseTarget(options.to, latest, current, found.tags, found.repository.display);
  }
  const upToDate = !interrupted && (target === current || (options.to === undefined && (compareTags(target, current) ?? 1) <= 0));
  if (upToDate) target = current;

  const composeFile = composeFileOf(layout, stack);
  const installedCompose = await readInstalledCompose(installed);
  // An interrupted update kept both compose files in its record: resolving it needs no network.
  const currentCompose = interrupted ? (interrupted.previousCompose ?? installedCompose) : installedCompose;
  let targetCompose = installedCompose;
  let targetCommit: string | undefined;
  if (interrupted) {
    targetCompose = interrupted.targetCompose ?? installedCompose;
  } else if (!upToDate) {
    const deadline = AbortSignal.timeout(options.registryTimeoutMs ?? REGISTRY_TIMEOUT_MS);
    const release = await composeOfRelease(installed, target, installedCompose, { ...(environment.cache ? { cache: environment.cache } : {}), signal: signal ? AbortSignal.any([signal, deadline]) : deadline });
    targetCompose = release.source;
    targetCommit = release.commit;
    if (release.note) warnings.push(`${release.note}.`);
  }
  if (targetCompose !== currentCompose) await refuseComposeThatCannotRun(await deps.compose(), installed, target, targetCompose, signal);
  const images = imagesOf(installed, targetCompose, target);
  const currentImages = imagesOf(installed, currentCompose, current);
  const imagesToPull: string[] = [];
  for (const image of images) if (!(await deps.engine.imageExists(image))) imagesToPull.push(image);

  const [volumeSizes, imageSizes, engineInfo] = await Promise.all([
    deps.engine
      .volumeSizes(stack.volumes.data)
      .then((volumes) => Object.fromEntries(volumes.flatMap((volume) => (volume.sizeBytes === undefined ? [] : [[volume.name, volume.sizeBytes] as const]))))
      .catch(() => ({}) as Record<string, number>),
    deps.engine.imageSizes(currentImages).catch(() => ({}) as Record<string, number>),
    deps.engine.info(),
  ]);
  const backupBytes = Object.values(volumeSizes).reduce((sum, size) => sum + size, 0);
  const imageBytes = imagesToPull.reduce((sum, image) => sum + (imageSizes[currentImages[images.indexOf(image)] ?? ''] ?? 0), 0);
  const localEngine = deps.engine.endpoint.startsWith('unix://');
  const disk = await diskNeeds([
    { what: 'backup', path: backupsDirOf(layout), neededBytes: backupBytes },
    ...(localEngine && engineInfo.dockerRootDir ? [{ what: 'images', path: engineInfo.dockerRootDir, neededBytes: imageBytes }] : []),
  ]);
  for (const place of disk) {
    if (place.enough === false) warnings.push(`Not enough free disk for the ${place.what} at ${place.path}.`);
  }

  let healthyNow: boolean | undefined;
  if (!interrupted && !upToDate) {
    // The installed compose file says which services run once and exit (vault-setup, cms-setup): finished, they are done, not down.
    const facts = composeFactsOf(installed, installedCompose, current);
    const snapshot = await takeSnapshot({ engine: deps.engine, project: stack.name, expectedServices: facts.services, oneShotServices: facts.oneShotServices, checks: stack.health, ...(signal ? { signal } : {}) });
    healthyNow = isHealthy(snapshot);
    if (!healthyNow) warnings.push(`${stack.name} ${current} is not healthy right now; if the update fails, a rollback can only bring back this state.`);
  }

  const resume = interrupted ? defaultRecovery(interrupted) : 'finish';
  const route = routeFor(interrupted, resume);
  const steps = route.kind === 'forward' ? forwardSteps(current, target, images.length, route.startAt) : rollbackSteps(current, route.restoreFrom !== undefined);
  sink({ type: 'step-finished', step: 'plan', outcome: 'done', detail: upToDate ? `${current} is the newest ${channel} release` : `${current} → ${target}` });
  return {
    installDir: layout.root,
    project: stack.name,
    current,
    target,
    ...(latest ? { latest } : {}),
    channel,
    upToDate,
    images,
    imagesToPull,
    backup: { directory: backupsDirOf(layout), volumes: stack.volumes.data, ...(Object.keys(volumeSizes).length > 0 ? { estimatedBytes: backupBytes } : {}), includes: ['.env', relative(layout.root, composeFile)] },
    disk,
    healthTimeout: options.healthTimeout ?? stack.healthTimeout,
    ...(interrupted ? { interrupted } : {}),
    resume,
    ...(targetCompose !== currentCompose ? { targetCompose, currentCompose } : {}),
    ...(targetCommit ? { targetCommit } : {}),
    ...(healthyNow !== undefined ? { healthyNow } : {}),
    warnings,
    steps,
  };
}

function chooseTarget(to: string | undefined, latest: string | undefined, current: string, tags: string[], image: string): string {
  if (to === undefined) return latest ?? current;
  if (!tags.includes(to)) {
    const offered = releaseTags(tags, 'prerelease').slice(0, 5);
    throw new OpenmatesError('usage', `${to} is not a version of ${image}.`, offered.length > 0 ? `The newest versions are ${offered.join(', ')}.` : 'The registry lists no release versions.');
  }
  if (compareTags(to, current) === -1) {
    throw new OpenmatesError(
      'unsafe',
      `${to} is older than the installed ${current}; going back a version this way could leave data the older version cannot read.`,
      'To go back, restore a backup taken before the update (openmates server backups, then openmates server restore).',
    );
  }
  return to;
}

function imagesOf(installed: InstalledVersion, composeSource: string, tag: string): string[] {
  return composeFactsOf(installed, composeSource, tag).images;
}

function composeFactsOf(installed: InstalledVersion, composeSource: string, tag: string): ComposeFileFacts {
  const { stack } = installed;
  const variables = { ...stack.env, ...installed.env?.toRecord(), [stack.registryVariable]: installed.registry, ...process.env, [stack.tagVariable]: tag };
  return readComposeFacts(composeSource, composeFileOf(installed.layout, stack), variables);
}

async function settingsChannel(): Promise<UpdateChannel> {
  return (await readSettingsFile()).updateChannel;
}
