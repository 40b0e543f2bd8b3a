import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ContainerSummary } from '../../docker/types.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, messageOf } from '../errors.js';
import { composeFileOf, installLayout, type InstallLayout } from '../install-dir.js';
import { readInstalledStack, readUninstalledStack } from '../stack/resolve.js';
import type { Stack } from '../stack/schema.js';
import type { FileLoss, VolumeLoss } from './types.js';

/** What an install has, found without changing anything: the facts every destructive plan lists. */
export interface InstanceInventory {
  layout: InstallLayout;
  stack: Stack;
  /** True when an uninstall that kept the data moved the stack copy aside. */
  uninstalled: boolean;
  containers: ContainerSummary[];
  /** The stack's volumes that exist (named in the stack, or labelled with its project), with sizes. */
  volumes: VolumeLoss[];
  /** The files openmates wrote into the install dir that exist, .env first. */
  files: FileLoss[];
  /** External networks of the stack that openmates created (by its label) and that exist. */
  ownNetworks: string[];
  warnings: string[];
}

/** The stack of an install, or of one an uninstall kept the data of; undefined when there is neither. */
export async function readStackOfInstall(layout: InstallLayout): Promise<{ stack: Stack; uninstalled: boolean } | undefined> {
  const installed = await readInstalledStack(layout);
  if (installed) return { stack: installed.stack, uninstalled: false };
  const uninstalled = await readUninstalledStack(layout);
  return uninstalled ? { stack: uninstalled.stack, uninstalled: true } : undefined;
}

export async function takeInventory(installDir: string, deps: CoreDeps, options: { allowUninstalled: boolean }): Promise<InstanceInventory> {
  const layout = installLayout(installDir);
  const found = await readStackOfInstall(layout);
  if (!found || (found.uninstalled && !options.allowUninstalled)) {
    throw new OpenmatesError(
      'not-installed',
      `Nothing is installed in ${layout.root}${found ? ' (an earlier install\'s data is kept there)' : ''}.`,
      found
        ? `To delete the kept data: openmates server uninstall --delete-data --path ${layout.root}. To bring it back: openmates server install --path ${layout.root}.`
        : 'Pass --path with the directory you installed into.',
    );
  }
  const { stack, uninstalled } = found;
  const { engine } = deps;
  await engine.ping();
  const warnings: string[] = [];

  const named = [...stack.volumes.data, ...stack.volumes.cache];
  const [existingNamed, labelled, containers] = await Promise.all([engine.existingVolumes(named), engine.projectVolumes(stack.name), engine.projectContainers(stack.name)]);
  const existing = [...existingNamed, ...labelled.filter((name) => !named.includes(name))];
  const sizes = new Map<string, number>();
  try {
    for (const volume of await engine.volumeSizes(existing)) if (volume.sizeBytes !== undefined) sizes.set(volume.name, volume.sizeBytes);
  } catch (error) {
    warnings.push(`The volume sizes could not be measured (${messageOf(error).replace(/\.$/, '')}).`);
  }
  if (existing.length > 0 && sizes.size < existing.length) warnings.push('The engine did not tell the size of every volume; those show as unknown.');
  const volumes = existing.map((name): VolumeLoss => {
    const bytes = sizes.get(name);
    return { name, ...describeVolume(stack, name), ...(bytes === undefined ? {} : { bytes }) };
  });

  const ownNetworks: string[] = [];
  for (const network of stack.networks) {
    const details = await engine.networkDetails(network);
    if (details?.createdByOpenmates) ownNetworks.push(network);
  }

  return { layout, stack, uninstalled, containers, volumes, files: await existingFiles(layout, stack), ownNetworks, warnings };
}

function describeVolume(stack: Stack, name: string): { role: 'data' | 'cache'; holds: string } {
  const note = stack.volumes.notes[name];
  if (stack.volumes.cache.includes(name)) return { role: 'cache', holds: note ?? 'cache and derived data: rebuilt when the stack starts' };
  if (stack.volumes.data.includes(name)) return { role: 'data', holds: note ?? `user data of ${stack.name}: whatever its services keep there (accounts, content, keys)` };
  // Labelled with the project but not named in the stack: Compose made it for this stack. Count it as data.
  return { role: 'data', holds: note ?? `a volume Compose made for ${stack.name}` };
}

/** The files openmates wrote, in the order they are listed (and deleted: the stack copy last). */
async function existingFiles(layout: InstallLayout, stack: Stack): Promise<FileLoss[]> {
  const rel = (path: string) => relative(layout.root, path);
  const secretNames = stack.secrets.map((secret) => secret.name);
  const candidates: FileLoss[] = [
    {
      path: rel(layout.envFile),
      holds: `the settings and secrets (${secretNames.length > 0 ? secretNames.join(', ') : 'none generated'}): the keys the data is locked with`,
      secret: true,
    },
    ...stack.files.map((file) => ({ path: file.path, holds: 'generated configuration', secret: false })),
    { path: rel(composeFileOf(layout, stack)), holds: 'the Compose file', secret: false },
    { path: rel(layout.uninstalledNote), holds: 'the note an uninstall left', secret: false },
    { path: rel(layout.uninstalledStackCopy), holds: 'the stack copy an uninstall kept', secret: false },
    { path: rel(layout.stackCopy), holds: 'which stack this install runs', secret: false },
  ];
  const present: FileLoss[] = [];
  for (const candidate of candidates) {
    const exists = await stat(`${layout.root}/${candidate.path}`).then(
      () => true,
      () => false,
    );
    if (exists) present.push(candidate);
  }
  return present;
}
