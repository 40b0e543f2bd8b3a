import { readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { ComposeProject } from '../../docker/types.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { composeFileOf } from '../install-dir.js';
import type { InstanceInventory } from './inventory.js';
import type { FileLoss, VolumeLoss } from './types.js';

/**
 * Stops and removes the stack's containers: Compose `down` (never -v) when its files are there,
 * then the engine for any container of the project that is left (or all of them when Compose
 * cannot run). Volumes are untouched. Returns how many containers there were.
 */
export async function removeStackContainers(inventory: InstanceInventory, deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<number> {
  const { stack, layout } = inventory;
  const before = await deps.engine.projectContainers(stack.name);
  if (before.length === 0) return 0;
  const project: ComposeProject = { name: stack.name, composeFile: composeFileOf(layout, stack), envFile: layout.envFile };
  const hasFiles = inventory.files.some((file) => file.path === relative(layout.root, project.composeFile)) && inventory.files.some((file) => file.secret);
  if (hasFiles) {
    try {
      const compose = await deps.compose();
      await compose.down(project, signal);
    } catch (error) {
      if (signal?.aborted || (error instanceof OpenmatesError && error.kind === 'interrupted')) throw error;
      sink({ type: 'warning', message: `Compose could not stop the stack (${messageOf(error).replace(/\.$/, '')}); removing its containers through the engine.` });
    }
  }
  for (const container of await deps.engine.projectContainers(stack.name)) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while removing the containers; run the command again to finish.');
    await deps.engine.removeContainer(container.id);
  }
  const left = await deps.engine.projectContainers(stack.name);
  if (left.length > 0) {
    throw new OpenmatesError('operation-failed', `The containers ${left.map((c) => c.name).join(', ')} of ${stack.name} could not be removed.`, 'Check `docker ps -a` and the engine log, then run the command again.');
  }
  return before.length;
}

/** Deletes exactly the listed volumes, by name, one at a time; returns those it deleted. */
export async function deleteVolumes(volumes: VolumeLoss[], deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<VolumeLoss[]> {
  const deleted: VolumeLoss[] = [];
  for (const volume of volumes) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', `Stopped after deleting ${deleted.length} of ${volumes.length} volumes; run the command again to finish.`);
    await deps.engine.removeVolume(volume.name);
    deleted.push(volume);
    sink({ type: 'info', message: `Deleted the volume ${volume.name}` });
  }
  return deleted;
}

/**
 * Deletes the listed files of the install dir (paths relative to it), then the directories they and
 * the stack's own directories leave empty. Never the install dir itself, never a non-empty directory.
 */
export async function deleteInstallFiles(root: string, files: FileLoss[], stackDirectories: string[]): Promise<string[]> {
  const deleted: string[] = [];
  const base = resolve(root);
  const candidates = new Set<string>();
  try {
    for (const file of files) {
      const path = resolve(base, file.path);
      if (!path.startsWith(`${base}/`)) continue; // never outside the install dir
      await rm(path, { force: true });
      deleted.push(file.path);
      candidates.add(dirname(path));
    }
    for (const directory of stackDirectories) candidates.add(resolve(base, directory));
    // Deepest first; a removed directory's parent gets its turn again after its other children.
    const queue = [...candidates].sort((a, b) => b.length - a.length);
    while (queue.length > 0) {
      const directory = queue.shift()!;
      if (directory === base || !directory.startsWith(`${base}/`)) continue;
      if (!(await isEmptyDirectory(directory))) continue;
      await rmdir(directory);
      deleted.push(`${relative(base, directory)}/`);
      queue.push(dirname(directory));
    }
  } catch (error) {
    throw new OpenmatesError('operation-failed', `Could not delete files in ${base}: ${messageOf(error)}.`, 'Check the permissions of the install dir, then run the command again.');
  }
  return deleted;
}

async function isEmptyDirectory(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch {
    return false;
  }
}

/** Removes the external networks openmates created for the stack, unless something else is attached. */
export async function removeOwnNetworks(inventory: InstanceInventory, deps: CoreDeps, sink: EventSink): Promise<string[]> {
  const removed: string[] = [];
  for (const network of inventory.ownNetworks) {
    const details = await deps.engine.networkDetails(network);
    if (!details) continue;
    if (details.containers.length > 0) {
      sink({ type: 'warning', message: `Kept the network ${network}: ${details.containers.join(', ')} still use${details.containers.length === 1 ? 's' : ''} it.` });
      continue;
    }
    if ((await deps.engine.removeNetwork(network)) === 'has-active-endpoints') {
      // No container is attached, yet the engine refuses: its stale-endpoint bug (moby/moby#33156).
      sink({ type: 'warning', message: `Kept the network ${network}: the Docker engine still counts an endpoint on it though no container uses it (a Docker bug). \`sudo systemctl restart docker\` clears that; then \`docker network rm ${network}\`.` });
      continue;
    }
    removed.push(network);
  }
  return removed;
}
