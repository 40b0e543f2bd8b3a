import semver from 'semver';

/**
 * The git ref a release's files are fetched from: the tag itself for stable releases
 * (v0.14.0), `dev` for pre-releases (v0.15.0-beta.1), as upstream publishes them.
 */
export function releaseRef(tag: string): string {
  const version = semver.parse(tag.replace(/^v/, ''));
  if (version && version.prerelease.length > 0) return 'dev';
  return tag;
}
