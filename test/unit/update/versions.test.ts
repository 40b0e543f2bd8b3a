import { describe, expect, it } from 'vitest';
import { compareTags, isNewerTag, isNewerVersion, newestRelease, releaseTags } from '../../../src/update/versions.js';

const TAGS = ['main', 'dev', 'latest', 'v0.9.0', 'v0.14.0', 'v0.14.1-beta.2', 'v0.10.0', '0.15.0-rc.1', 'v0.14.1', 'sha-abc123', 'v1'];

describe('release tags and channels', () => {
  it('keeps semver tags only, newest first, comparing numerically (0.10 > 0.9)', () => {
    expect(releaseTags(TAGS, 'stable')).toEqual(['v0.14.1', 'v0.14.0', 'v0.10.0', 'v0.9.0']);
  });

  it('offers pre-releases only on the pre-release channel', () => {
    expect(releaseTags(TAGS, 'prerelease')).toEqual(['0.15.0-rc.1', 'v0.14.1', 'v0.14.1-beta.2', 'v0.14.0', 'v0.10.0', 'v0.9.0']);
    expect(newestRelease(TAGS, 'stable')).toBe('v0.14.1');
    expect(newestRelease(TAGS, 'prerelease')).toBe('0.15.0-rc.1');
  });

  it('has no newest release when the registry holds only moving tags', () => {
    expect(newestRelease(['main', 'dev', 'latest'], 'stable')).toBeUndefined();
    expect(newestRelease([], 'prerelease')).toBeUndefined();
  });

  it('compares tags with or without "v", and never calls a moving tag newer', () => {
    expect(isNewerTag('v1.1.0', 'v1.0.0')).toBe(true);
    expect(isNewerTag('1.1.0', 'v1.0.0')).toBe(true);
    expect(isNewerTag('v1.0.0', 'v1.0.0')).toBe(false);
    expect(isNewerTag('v1.0.0', 'v1.1.0')).toBe(false);
    expect(isNewerTag('v1.1.0', 'v1.1.0-beta.1')).toBe(true);
    expect(isNewerTag('v2.0.0', 'main')).toBe(false);
    expect(compareTags('main', 'v1.0.0')).toBeUndefined();
    expect(compareTags('v1.0.0', 'v1.1.0')).toBe(-1);
  });

  it('compares npm versions', () => {
    expect(isNewerVersion('0.2.0', '0.1.0')).toBe(true);
    expect(isNewerVersion('0.1.0', '0.1.0')).toBe(false);
    expect(isNewerVersion('0.1.0', 'dev')).toBe(false);
  });
});
