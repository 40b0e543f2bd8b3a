import semver from 'semver';

export type UpdateChannel = 'stable' | 'prerelease';

/** A tag read as a release version: "v1.2.3" and "1.2.3" are both 1.2.3; "main" or "dev" are not versions. */
export function tagVersion(tag: string): semver.SemVer | undefined {
  return semver.parse(tag.replace(/^v(?=\d)/, '')) ?? undefined;
}

/**
 * The release tags a channel offers, newest first: semver tags only (moving tags like "main" or
 * "latest" are left out); pre-releases only on the pre-release channel.
 */
export function releaseTags(tags: readonly string[], channel: UpdateChannel): string[] {
  return tags
    .map((tag) => ({ tag, version: tagVersion(tag) }))
    .filter((entry): entry is { tag: string; version: semver.SemVer } => entry.version !== undefined)
    .filter((entry) => channel === 'prerelease' || entry.version.prerelease.length === 0)
    .sort((a, b) => semver.rcompare(a.version, b.version) || a.tag.localeCompare(b.tag))
    .map((entry) => entry.tag);
}

/** The newest release of the channel, or undefined when the registry holds none. */
export function newestRelease(tags: readonly string[], channel: UpdateChannel): string | undefined {
  return releaseTags(tags, channel)[0];
}

/** -1, 0 or 1 as `a` is older, the same as or newer than `b`; undefined when either is not a version. */
export function compareTags(a: string, b: string): -1 | 0 | 1 | undefined {
  const left = tagVersion(a);
  const right = tagVersion(b);
  if (!left || !right) return undefined;
  return semver.compare(left, right);
}

/** True when `candidate` is a newer release than `installed` (false when either is not a version). */
export function isNewerTag(candidate: string, installed: string): boolean {
  return compareTags(candidate, installed) === 1;
}

/** npm versions have no "v": compares "0.2.0" with "0.1.0". */
export function isNewerVersion(candidate: string, current: string): boolean {
  const left = semver.parse(candidate);
  const right = semver.parse(current);
  return left !== null && right !== null && semver.gt(left, right);
}
