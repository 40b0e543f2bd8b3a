import { randomBytes } from 'node:crypto';
import type { DockerEngine } from '../../docker/types.js';
import { OpenmatesError } from '../errors.js';
import { VOLUME_MOUNT } from './manifest.js';

/** Label of the never-started containers backup and restore mount volumes in; its value is the project. */
export const HELPER_LABEL = 'com.openmates.backup-helper';

/** Removes helper containers a killed run left behind (they hold a reference to the volume). */
export async function removeStaleHelpers(engine: DockerEngine, project: string): Promise<number> {
  const stale = await engine.containersWithLabel(HELPER_LABEL, project);
  for (const id of stale) await engine.removeContainer(id);
  return stale.length;
}

/**
 * The first of `candidates` present on this machine: the helper container needs an image, and
 * one the stack already uses saves a pull (it never runs, so any image will do).
 */
export async function pickHelperImage(engine: DockerEngine, candidates: string[]): Promise<string> {
  for (const image of new Set(candidates.filter(Boolean))) {
    if (await engine.imageExists(image)) return image;
  }
  throw new OpenmatesError(
    'operation-failed',
    'None of the stack\'s images is on this machine, and the volumes are copied through a container made from one.',
    'Pull them first: `openmates server install` (it keeps what already works).',
  );
}

/** Runs `work` with a helper container that mounts `volume` at /volume; always removes it. */
export async function withHelperContainer<T>(engine: DockerEngine, input: { project: string; image: string; volume: string }, work: (containerId: string) => Promise<T>): Promise<T> {
  const id = await engine.createHelperContainer({
    name: `${input.project}-backup-helper-${randomBytes(3).toString('hex')}`,
    image: input.image,
    labels: { [HELPER_LABEL]: input.project },
    mounts: [{ volume: input.volume, target: VOLUME_MOUNT }],
  });
  try {
    return await work(id);
  } finally {
    await engine.removeContainer(id).catch(() => {});
  }
}
