import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { DockerEngine, VolumeUser } from '../../docker/types.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { backupFileName, backupsDirOf, ensurePrivateDir, partialNameFor, removeAbandonedPartials } from './backup-files.js';
import { pickHelperImage, removeStaleHelpers, withHelperContainer } from './helper-container.js';
import { readInstall, type InstalledStack } from './installed-stack.js';
import { configEntryName, MANIFEST_ENTRY, MANIFEST_FORMAT, VOLUME_MOUNT, volumeEntryName, type BackupManifest, type ManifestPart } from './manifest.js';
import { copyGroups } from './copy-groups.js';
import { tarDirectoryInto } from './directory-tar.js';
import { startServices, waitUntilHealthyAgain } from './restart-services.js';
import { rotatePreUpdateBackups } from './rotate-backups.js';
import { formatBytes, formatSeconds, stepRunner, type StepOutcome } from './steps.js';
import { TarFileWriter } from './tar-file-writer.js';
import type { BackupInfo, BackupReason } from './types.js';
import { directVolumeAccess, volumeDirectory } from './volume-directory.js';

export interface CreateBackupOptions {
  installDir: string;
  /** Where to write the archive; default <install dir>/backups/<generated name>.tar. */
  output?: string;
  reason: BackupReason;
}

const WRITING_STATES = new Set(['running', 'restarting', 'paused']);

/**
 * Writes one archive with every data volume, .env, the compose file and the stack copy, and a
 * manifest with each part's size and sha256. A volume is read in its directory when the engine
 * is this machine's (see volume-directory.ts), else through the engine from a never-started
 * helper container. The services writing to a volume are stopped only while it is copied and
 * started again right after, also when the backup fails or is interrupted.
 */
export async function createBackup(options: CreateBackupOptions, deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<BackupInfo> {
  const install = await readInstall(options.installDir);
  const { stack, layout } = install;
  const engine = deps.engine;
  await engine.ping();
  await removeStaleHelpers(engine, stack.name);

  const volumes = await engine.existingVolumes(stack.volumes.data);
  const missing = stack.volumes.data.filter((volume) => !volumes.includes(volume));
  if (missing.length > 0) sink({ type: 'warning', message: `Data volume${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist yet; nothing to copy there.` });
  const usersOf = new Map(await Promise.all(volumes.map(async (volume) => [volume, await engine.containersUsingVolume(volume)] as const)));
  const writers = [...usersOf.values()].flat().filter((user) => WRITING_STATES.has(user.state));
  warnAboutOutsiders(writers.filter((user) => user.project !== stack.name || !user.service), sink);
  const writersOf = (volume: string) => [...new Set((usersOf.get(volume) ?? []).filter((user) => WRITING_STATES.has(user.state) && user.project === stack.name && user.service).map((user) => user.service!))];
  const sources = await volumeSources(engine, volumes);
  const viaEngine = volumes.filter((volume) => !sources.get(volume)?.directory);
  const users = [...usersOf.values()].flat();
  const projectImages = viaEngine.length > 0 ? (await engine.projectContainers(stack.name)).map((container) => container.image) : [];
  const image = viaEngine.length > 0 ? await pickHelperImage(engine, [...users.map((user) => user.image), ...projectImages, ...(install.facts?.images ?? [])]) : '';

  const createdAt = new Date();
  const finalPath = await chooseDestination(install, options, createdAt);
  const partialPath = join(dirname(finalPath), partialNameFor(basename(finalPath)));
  const writer = await TarFileWriter.create(partialPath);
  const step = stepRunner(sink, signal, (title) => new OpenmatesError('interrupted', `Backup stopped before "${title}"; no backup was written.`));
  const stopped: string[] = [];
  let down: string[] = [];
  const restartProblems: string[] = [];
  const startAgain = async (suffix: string) => {
    const services = down;
    down = [];
    const problem = await startServices(install, services, deps, sink, `restart${suffix}`);
    if (problem) restartProblems.push(`${services.join(', ')} could not be started again: ${problem}`);
  };
  let failure: unknown;
  try {
    const parts: ManifestPart[] = [];
    for (const [index, group] of copyGroups(volumes, writersOf).entries()) {
      const suffix = index === 0 ? '' : `:${index + 1}`;
      if (group.services.length > 0) {
        await step(`stop${suffix}`, `Stopping ${group.services.join(', ')} for a consistent copy`, async () => {
          down = group.services;
          stopped.push(...group.services);
          const compose = await deps.compose();
          await compose.stop(install.project, group.services, signal);
          return { value: undefined, detail: `Stopped ${group.services.join(', ')} (${group.services.length === 1 ? 'it writes' : 'they write'} to ${group.volumes.join(', ')})` };
        });
      }
      for (const volume of group.volumes) {
        parts.push(await step(`volume:${volume}`, `Copying volume ${volume}`, () => copyVolume(volume, sources.get(volume)!, { engine, writer, project: stack.name, image, sink }, signal)));
      }
      if (down.length > 0) await startAgain(suffix);
    }
    parts.push(...(await step('config', 'Copying .env, the compose file and the stack file', () => addConfigFiles(install, writer, sink))));
    await step('finish', 'Writing the manifest', async () => {
      const manifest: BackupManifest = {
        format: MANIFEST_FORMAT,
        formatVersion: 1,
        stack: stack.name,
        version: install.version,
        reason: options.reason,
        createdAt: createdAt.toISOString(),
        hostname: hostname(),
        stoppedServices: stopped,
        parts,
      };
      await writer.addBuffer(MANIFEST_ENTRY, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
      await writer.finish();
      await rename(partialPath, finalPath);
      return { value: undefined, detail: `Wrote ${finalPath}` };
    });
  } catch (error) {
    failure = backupFailure(error, finalPath, signal);
    await writer.close();
    await rm(partialPath, { force: true });
  }
  if (down.length > 0) await startAgain('');
  if (stopped.length > 0 && restartProblems.length === 0) await waitUntilHealthyAgain(install, stopped, deps, sink, signal);

  const restartProblem = restartProblems.join('; ');
  if (failure) {
    if (restartProblem && failure instanceof OpenmatesError) {
      throw new OpenmatesError(failure.kind, failure.message, failure.hint, [...failure.details, `Also, ${restartProblem}`]);
    }
    throw failure;
  }
  if (restartProblem) {
    throw new OpenmatesError('operation-failed', `The backup ${finalPath} is complete, but ${restartProblem}.`, 'Start the stack with `openmates server install` (it repairs what is not running).');
  }
  if (options.reason === 'pre-update') {
    const removed = await rotatePreUpdateBackups({ installDir: layout.root });
    if (removed.length > 0) sink({ type: 'info', message: `Removed ${removed.length} older pre-update backup${removed.length > 1 ? 's' : ''} (keeping the newest).` });
  }
  return {
    file: finalPath,
    createdAt: createdAt.toISOString(),
    version: install.version,
    reason: options.reason,
    bytes: (await stat(finalPath)).size,
    volumes,
  };
}

/** Where each volume is read: its directory on this machine, or through the engine and why. */
type VolumeSource = { directory: string } | { directory?: undefined; why: string };

async function volumeSources(engine: DockerEngine, volumes: string[]): Promise<Map<string, VolumeSource>> {
  if (volumes.length === 0) return new Map();
  const access = await directVolumeAccess(engine);
  return new Map(
    await Promise.all(
      volumes.map(async (volume): Promise<[string, VolumeSource]> => {
        if (!access.ok) return [volume, { why: access.reason }];
        const directory = await volumeDirectory(engine, volume);
        return [volume, directory ? { directory } : { why: 'it is not a plain local volume' }];
      }),
    ),
  );
}

interface CopyContext {
  engine: DockerEngine;
  writer: TarFileWriter;
  project: string;
  image: string;
  sink: EventSink;
}

/** One volume into the archive, from its directory or through a helper container; the detail says which. */
async function copyVolume(volume: string, source: VolumeSource, context: CopyContext, signal?: AbortSignal): Promise<StepOutcome<ManifestPart>> {
  const { engine, writer, project, image, sink } = context;
  const { directory } = source;
  const started = Date.now();
  const written = directory
    ? await writer.addWrittenBy(volumeEntryName(volume), (fd) => tarDirectoryInto(directory, fd, (message) => sink({ type: 'warning', message }), signal))
    : await withHelperContainer(engine, { project, image, volume }, async (containerId) => {
        const stream = await engine.getArchive(containerId, VOLUME_MOUNT, signal);
        return writer.addStream(volumeEntryName(volume), stream as AsyncIterable<Buffer>);
      });
  const via = 'why' in source ? `through the engine: ${source.why}` : `read in ${source.directory}`;
  return {
    value: { kind: 'volume', entry: written.name, volume, bytes: written.bytes, sha256: written.sha256 },
    detail: `Copied ${volume}: ${formatBytes(written.bytes)} in ${formatSeconds(Date.now() - started)} (${via})`,
  };
}

/** What to report when the backup failed: interrupted, an engine or Compose error as it is, a file system error with its fix. */
function backupFailure(error: unknown, file: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted && !(error instanceof OpenmatesError && error.kind === 'interrupted')) return new OpenmatesError('interrupted', 'Backup interrupted; no backup was written.');
  if (error instanceof OpenmatesError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new OpenmatesError(
    'operation-failed',
    `Could not write the backup ${file}: ${messageOf(error)}; no backup was written.`,
    code === 'ENOSPC' ? 'The disk is full: free some space, or write the backup elsewhere with --output.' : 'Check that the directory is writable, or write the backup elsewhere with --output.',
  );
}

function warnAboutOutsiders(outsiders: VolumeUser[], sink: EventSink): void {
  for (const user of outsiders) {
    sink({
      type: 'warning',
      message: `Container ${user.name} (not part of this stack) uses a data volume and keeps running; what it writes during the backup may be missing from it.`,
    });
  }
}

async function chooseDestination(install: InstalledStack, options: CreateBackupOptions, createdAt: Date): Promise<string> {
  try {
    if (options.output) {
      const path = resolve(options.output);
      if (await stat(path).then(() => true, () => false)) {
        throw new OpenmatesError('usage', `${path} already exists; a backup never overwrites a file.`, 'Choose another --output, or remove that file first.');
      }
      await mkdir(dirname(path), { recursive: true });
      await removeAbandonedPartials(dirname(path));
      return path;
    }
    const dir = backupsDirOf(install.layout);
    await ensurePrivateDir(dir);
    await removeAbandonedPartials(dir);
    const name = backupFileName(install.stack.name, install.version, options.reason, createdAt);
    for (let n = 1; ; n++) {
      const path = join(dir, n === 1 ? name : name.replace(/\.tar$/, `-${n}.tar`));
      if (!(await stat(path).then(() => true, () => false))) return path;
    }
  } catch (error) {
    if (error instanceof OpenmatesError) throw error;
    throw new OpenmatesError('operation-failed', `Cannot create the backup file: ${messageOf(error)}.`, 'Check that the directory is writable and the disk has space.');
  }
}

async function addConfigFiles(install: InstalledStack, writer: TarFileWriter, sink: EventSink) {
  const { layout, stack } = install;
  const files = [
    { kind: 'env' as const, file: '.env', path: layout.envFile },
    { kind: 'compose' as const, file: stack.composePath, path: install.composeFile },
    { kind: 'stack' as const, file: basename(layout.stackCopy), path: layout.stackCopy },
  ];
  const parts: ManifestPart[] = [];
  for (const { kind, file, path } of files) {
    const data = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!data) {
      sink({ type: 'warning', message: `${path} is missing, so the backup does not hold it.` });
      continue;
    }
    const written = await writer.addBuffer(configEntryName(file), data);
    parts.push({ kind, entry: written.name, file, bytes: written.bytes, sha256: written.sha256 });
  }
  return { value: parts, detail: `Copied ${parts.map((part) => (part.kind === 'volume' ? part.volume : part.file)).join(', ')}` };
}
