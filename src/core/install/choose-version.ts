import semver from 'semver';
import { availableTags } from '../../update/available-versions.js';
import type { CheckCache } from '../../update/check-cache.js';
import { imageRepository } from '../../update/image-repository.js';
import { newestRelease, releaseTags, tagVersion, type UpdateChannel } from '../../update/versions.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { Stack } from '../stack/schema.js';

export const REGISTRY_TIMEOUT_MS = 20_000;

/** Which version install puts in place, and why, in words a plan can show. */
export interface VersionChoice {
  tag: string;
  /** "newest stable in ghcr.io/glowingkitty/openmates-api", "pinned with --tag", … */
  reason: string;
  /** Where the version came from. */
  source: 'pinned' | 'installed' | 'newest' | 'fallback';
  /** True when the registry could not be listed (the version is then unchecked). */
  registryUnreachable: boolean;
  warnings: string[];
}

export interface ChooseVersionInput {
  stack: Stack;
  /** --tag. */
  requested?: string;
  /** The version an existing install runs (a repair keeps it). */
  installed?: string;
  channel: UpdateChannel;
  cache?: CheckCache;
  timeoutMs?: number;
}

/**
 * --tag when given (it must be a tag of the version image), else the installed version on a
 * repair, else the newest release of the channel in the registry. When the registry cannot be
 * listed, a fresh install falls back to the stack's `tag` with a warning saying so.
 */
export async function chooseInstallVersion(input: ChooseVersionInput, signal?: AbortSignal): Promise<VersionChoice> {
  const { stack } = input;
  const repository = imageRepository(stack.registry, stack.versionImage);
  if (input.requested === undefined && input.installed !== undefined) {
    return { tag: input.installed, reason: 'the installed version (a repair keeps it; `openmates server update` changes it)', source: 'installed', registryUnreachable: false, warnings: [] };
  }
  const deadline = AbortSignal.timeout(input.timeoutMs ?? REGISTRY_TIMEOUT_MS);
  let tags: string[];
  try {
    tags = (await availableTags({ registry: stack.registry, image: stack.versionImage, fresh: true, ...(input.cache ? { cache: input.cache } : {}) }, signal ? AbortSignal.any([signal, deadline]) : deadline)).tags;
  } catch (error) {
    if (isOpenmatesError(error) && error.kind === 'interrupted') throw error;
    const tag = input.requested ?? stack.tag;
    const why = input.requested !== undefined ? `installing ${tag} as asked, unchecked` : `installing the stack's fallback tag ${tag}`;
    return { tag, reason: input.requested !== undefined ? 'pinned with --tag' : `the stack's fallback tag (${repository.display} could not be listed)`, source: input.requested !== undefined ? 'pinned' : 'fallback', registryUnreachable: true, warnings: [`${messageOf(error).replace(/\.$/, '')}; ${why}.`] };
  }
  if (input.requested !== undefined) {
    if (!tags.includes(input.requested)) {
      const nearest = nearestTags(tags, input.requested);
      throw new OpenmatesError(
        'operation-failed',
        `${input.requested} does not exist in ${repository.display}${nearest.length > 0 ? `; the nearest versions are ${nearest.join(', ')}` : ', which lists no release versions'}.`,
        'Pass a version the registry has with --tag, or leave --tag out for the newest.',
      );
    }
    const warnings = input.installed !== undefined && input.installed !== input.requested ? [`${input.installed} is installed; this repair switches it to ${input.requested} without a backup (\`openmates server update --to\` takes one).`] : [];
    return { tag: input.requested, reason: 'pinned with --tag', source: 'pinned', registryUnreachable: false, warnings };
  }
  const newest = newestRelease(tags, input.channel);
  if (newest === undefined) {
    return {
      tag: stack.tag,
      reason: `the stack's fallback tag (no ${input.channel} release in ${repository.display})`,
      source: 'fallback',
      registryUnreachable: false,
      warnings: [`${repository.display} has no ${input.channel} release tag; installing the stack's fallback tag ${stack.tag}.`],
    };
  }
  return { tag: newest, reason: `newest ${input.channel === 'stable' ? 'stable' : 'release (pre-releases included)'} in ${repository.display}`, source: 'newest', registryUnreachable: false, warnings: [] };
}

/** The release tags closest to `wanted`: up to two older and two newer, else the newest five. */
export function nearestTags(tags: readonly string[], wanted: string): string[] {
  const releases = releaseTags(tags, 'prerelease').reverse(); // oldest first
  const version = tagVersion(wanted);
  if (!version) return releases.slice(-5).reverse();
  const newer = releases.findIndex((tag) => semver.gt(tagVersion(tag)!, version));
  const split = newer === -1 ? releases.length : newer;
  return [...releases.slice(Math.max(0, split - 2), split), ...releases.slice(split, split + 2)].reverse();
}
