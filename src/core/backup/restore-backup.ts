import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ComposeProject, VolumeDetails } from '../../docker/types.js';
import { readComposeFacts } from '../compose-file.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { waitForHealthy } from '../health/wait-for-healthy.js';
import { EnvFile, writeSecretFile } from '../install/env-file.js';
import { parseStack } from '../stack/load.js';
import type { Stack } from '../stack/schema.js';
import { pickHelperImage, removeStaleHelpers, withHelperContainer } from './helper-container.js';
import { readInstall, type InstalledStack } from './installed-stack.js';
import type { FilePart, VolumePart } from './manifest.js';
import { extractIntoDirectory } from './directory-tar.js';
import { directVolumeAccess, volumeDirectory } from './volume-directory.js';
import { clearRestoreMarker, readRestoreMarker, writeRestoreMarker } from './restore-marker.js';
import { formatBytes, stepRunner } from './steps.js';
import { entryStream, readEntry } from './tar-file-reader.js';
import type { BackupInfo } from './types.js';
import { openBackup, verifyOpenedBackup, type OpenedBackup } from './verify-backup.js';

const AGAIN_HINT = 'The backup is intact: run the same restore again to finish. Until then the stack stays stopped.';

/**
 * Puts a backup back: verifies every checksum and that the archive belongs to this stack before
 * touching anything, then stops the stack, replaces each data volume's content (the volume is
 * recreated empty with its driver, options and labels, and filled through a never-started helper
 * container), restores .env, the compose file and the stack file, starts the stack and waits
 * until it is healthy. The caller asks for the confirmation phrase first (see confirmation.ts).
 */
export async function restoreBackup(options: { installDir: string; file: string }, deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<BackupInfo> {
  const install = await readInstall(options.installDir);
  const { stack, layout } = install;
  const engine = deps.engine;
  const interruptible = stepRunner(sink, signal, (title) => new OpenmatesError('interrupted', `Restore stopped before "${title}"; nothing was changed.`));
  // Once volumes are being replaced, stopping half-way would leave a mix: finish, then honour the signal.
  const uninterruptible = stepRunner(sink, undefined, () => new OpenmatesError('interrupted', 'Restore stopped.'));

  const previous = await readRestoreMarker(layout);
  if (previous) sink({ type: 'warning', message: `A restore of ${previous.file} started ${previous.startedAt} did not finish; this restore replaces its work.` });

  const { opened, archivedStack } = await interruptible('verify', 'Checking the backup', async () => {
    const backup = await openBackup(options.file);
    belongsTo(backup, stack, install);
    await verifyOpenedBackup(backup, signal);
    const archived = await archivedStackOf(backup, stack);
    return {
      value: { opened: backup, archivedStack: archived },
      detail: `${backup.manifest.parts.length} parts match their checksums (${backup.info.version}, taken ${backup.info.createdAt})`,
    };
  });
  const volumeParts = opened.manifest.parts.filter((part): part is VolumePart => part.kind === 'volume');
  const fileParts = opened.manifest.parts.filter((part): part is FilePart => part.kind !== 'volume');

  const plan = await interruptible('check', 'Checking the volumes can be replaced', async () => {
    await engine.ping();
    await removeStaleHelpers(engine, stack.name);
    const volumes: VolumeDetails[] = [];
    const images: string[] = [];
    for (const part of volumeParts) {
      const users = await engine.containersUsingVolume(part.volume);
      const outsiders = users.filter((user) => user.project !== stack.name);
      if (outsiders.length > 0) {
        throw new OpenmatesError(
          'unsafe',
          `The volume ${part.volume} is also used by ${outsiders.map((user) => user.name).join(', ')}, which is not part of ${stack.name}; nothing was changed.`,
          'Stop and remove that container first (it would keep the volume in use), then restore again.',
        );
      }
      images.push(...users.map((user) => user.image));
      volumes.push((await engine.inspectVolume(part.volume)) ?? { name: part.volume, driver: 'local', options: {}, labels: {}, mountpoint: '' });
    }
    const direct = volumeParts.length > 0 && (await directVolumeAccess(engine)).ok;
    const projectImages = (await engine.projectContainers(stack.name)).map((container) => container.image);
    // Needed only when a volume goes through the engine; when it is, the check happens before anything is stopped.
    const helperImage = volumeParts.length > 0 && !direct ? await pickHelperImage(engine, [...images, ...projectImages, ...(install.facts?.images ?? [])]) : undefined;
    const image = async () => helperImage ?? pickHelperImage(engine, [...images, ...projectImages, ...(install.facts?.images ?? [])]);
    return { value: { volumes, image, direct }, detail: `${volumeParts.length} volume${volumeParts.length === 1 ? '' : 's'} to replace: ${volumeParts.map((part) => part.volume).join(', ') || 'none'}` };
  });

  let replacing = false;
  try {
    await uninterruptible('stop', 'Stopping the stack', async () => {
      const compose = await deps.compose();
      await compose.down(install.project);
      return { value: undefined, detail: `Stopped ${stack.name} (containers removed, volumes kept)` };
    });
    await writeRestoreMarker(layout, opened.info.file);
    replacing = true;
    for (const [index, part] of volumeParts.entries()) {
      await uninterruptible(`volume:${part.volume}`, `Restoring volume ${part.volume}`, async () => {
        const details = plan.volumes[index]!;
        await engine.removeVolume(part.volume);
        await engine.createVolume({ name: details.name, driver: details.driver, options: details.options, labels: details.labels });
        const content = () => entryStream(opened.info.file, opened.entries.get(part.entry)!);
        const directory = plan.direct ? await volumeDirectory(engine, part.volume) : undefined;
        if (directory) await extractIntoDirectory(directory, { file: opened.info.file, entry: part.entry });
        else {
          await withHelperContainer(engine, { project: stack.name, image: await plan.image(), volume: part.volume }, (containerId) =>
            // The archive's entries start with "volume/", the helper's mount point: extract at "/".
            engine.putArchive(containerId, '/', content()),
          );
        }
        return { value: undefined, detail: `Restored ${part.volume} (${formatBytes(part.bytes)}, ${directory ? `written in ${directory}` : 'through the engine'})` };
      });
    }
    const project = await uninterruptible('config', 'Restoring .env, the compose file and the stack file', async () => {
      const written = await restoreFiles(opened, fileParts, install, archivedStack);
      await clearRestoreMarker(layout);
      return { value: written.project, detail: written.files.length > 0 ? `Restored ${written.files.join(', ')}` : 'The backup holds no config files; kept the current ones' };
    });
    replacing = false;
    await uninterruptible('start', 'Starting the stack', async () => {
      const compose = await deps.compose();
      await compose.up(project, AbortSignal.timeout(archivedStack.healthTimeout * 1000));
      return { value: undefined, detail: `Started ${stack.name} with ${compose.command}` };
    });
    await interruptible('health', 'Waiting for the stack to become healthy', async () => {
      const env = EnvFile.parse(await readFileText(layout.envFile));
      const facts = readComposeFacts(await readFileText(project.composeFile), project.composeFile, { ...env.toRecord(), ...process.env });
      const snapshot = await waitForHealthy({
        engine,
        project: stack.name,
        expectedServices: facts.services,
        oneShotServices: facts.oneShotServices,
        checks: archivedStack.health,
        timeoutSeconds: archivedStack.healthTimeout,
        sink,
        signal,
      });
      return { value: undefined, detail: `All ${snapshot.services.length} services ready on the restored data` };
    });
  } catch (error) {
    if (replacing && error instanceof OpenmatesError && error.kind !== 'interrupted') {
      throw new OpenmatesError(error.kind, `The restore failed while replacing the data: ${error.message}`, AGAIN_HINT, error.details);
    }
    if (replacing) throw new OpenmatesError('operation-failed', `The restore failed while replacing the data: ${messageOf(error)}.`, AGAIN_HINT);
    throw error;
  }
  return opened.info;
}

/** Refuses an archive that is not a backup of this very stack (another stack's, or volumes it does not have). */
function belongsTo(backup: OpenedBackup, stack: Stack, install: InstalledStack): void {
  const { manifest, info } = backup;
  const foreign = (why: string) =>
    new OpenmatesError('unsafe', `${info.file} is a backup of ${why}, not of ${stack.name} installed in ${install.layout.root}; nothing was restored.`, 'Restore a backup of this stack: `openmates server backups` lists them.');
  if (manifest.stack !== stack.name) throw foreign(`the stack "${manifest.stack}"`);
  const stray = manifest.parts.filter((part): part is VolumePart => part.kind === 'volume' && !stack.volumes.data.includes(part.volume));
  if (stray.length > 0) throw foreign(`volumes this stack does not have (${stray.map((part) => part.volume).join(', ')})`);
}

/** The stack file the backup holds (validated: it decides where the compose file goes), else the current one. */
async function archivedStackOf(backup: OpenedBackup, current: Stack): Promise<Stack> {
  const part = backup.manifest.parts.find((candidate) => candidate.kind === 'stack');
  if (!part) return current;
  const archived = parseStack((await readEntry(backup.info.file, backup.entries.get(part.entry)!)).toString('utf8'), `${backup.info.file} (${part.entry})`);
  if (archived.name !== current.name) {
    throw new OpenmatesError('unsafe', `${backup.info.file} holds the stack file of "${archived.name}", not of ${current.name}; nothing was restored.`, 'Restore a backup of this stack: `openmates server backups` lists them.');
  }
  return archived;
}

function readFileText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

async function writeFileAtomically(path: string, data: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${Date.now()}-${process.pid}.tmp`);
  await writeFile(temporary, data, { mode: 0o644 });
  await rename(temporary, path).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
}

/** Writes the archived .env (0600), compose file and stack file; returns the Compose project they describe. */
async function restoreFiles(opened: OpenedBackup, parts: FilePart[], install: InstalledStack, archivedStack: Stack): Promise<{ files: string[]; project: ComposeProject }> {
  const { layout } = install;
  const read = (part: FilePart) => readEntry(opened.info.file, opened.entries.get(part.entry)!);
  const composeFile = join(layout.root, archivedStack.composePath);
  const files: string[] = [];
  for (const part of parts) {
    const data = await read(part);
    if (part.kind === 'env') await writeSecretFile(layout.envFile, data.toString('utf8'));
    else if (part.kind === 'stack') await writeFileAtomically(layout.stackCopy, data);
    else await writeFileAtomically(composeFile, data);
    files.push(part.file);
  }
  return { files, project: { name: archivedStack.name, composeFile, envFile: layout.envFile } };
}
