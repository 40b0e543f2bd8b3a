import { CheckCache } from './check-cache.js';
import { imageRepository } from './image-repository.js';
import type { ImagePlatform } from './image-platform.js';
import { readImageRevision, REVISION_LABEL } from './image-revision.js';
import { OpenmatesError } from '../core/errors.js';

/** A label value that can stand in a URL path as a git ref: a commit hash or a plain ref name. */
const GIT_REF = /^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$/;

/** The git ref a release's files are fetched from, and how it was found. */
export interface ReleaseRef {
  /** What `{ref}` in the stack's `compose` becomes: the commit, else the tag. */
  ref: string;
  /** The commit of the version image's revision label, when it has one. */
  commit?: string;
  /** Why the tag itself is the ref (no label), for a warning. */
  note?: string;
  fromCache: boolean;
}

/**
 * The git commit release `tag` was built from: the `org.opencontainers.image.revision` label of
 * the stack's version image (read from the registry, no pull), cached per tag in the
 * update-check cache. Without the label the tag itself is the ref, with a note saying so.
 * Throws what readImageRevision throws.
 */
export async function releaseRef(
  options: { registry: string; image: string; tag: string; cache?: CheckCache; platform?: ImagePlatform },
  signal?: AbortSignal,
): Promise<ReleaseRef> {
  const repository = imageRepository(options.registry, options.image);
  const cache = options.cache ?? new CheckCache();
  const key = `revision ${repository.baseUrl}/${repository.repository}:${options.tag}`;
  const cached = await cache.get<{ commit?: unknown }>(key);
  let commit: string | undefined;
  let fromCache = false;
  if (cached && cached.value && typeof cached.value === 'object' && (cached.value.commit === null || typeof cached.value.commit === 'string')) {
    commit = (cached.value.commit as string | null) ?? undefined;
    fromCache = true;
  } else {
    commit = (await readImageRevision(repository, options.tag, { ...(options.platform ? { platform: options.platform } : {}), ...(signal ? { signal } : {}) })).revision;
    if (commit !== undefined && (!GIT_REF.test(commit) || commit.includes('..'))) {
      throw new OpenmatesError('operation-failed', `The release ${repository.display}:${options.tag} has a ${REVISION_LABEL} label that is not a git commit ("${commit.slice(0, 80)}").`, 'Install from a local compose file with --stack FILE.');
    }
    await cache.set(key, { commit: commit ?? null });
  }
  if (commit) return { ref: commit, commit, fromCache };
  return { ref: options.tag, note: `${repository.display}:${options.tag} has no ${REVISION_LABEL} label, so its files are fetched from the git ref ${options.tag}`, fromCache };
}
