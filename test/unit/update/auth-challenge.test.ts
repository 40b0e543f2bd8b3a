import { describe, expect, it } from 'vitest';
import { nextLink, parseAuthChallenges } from '../../../src/update/auth-challenge.js';

describe('WWW-Authenticate and Link headers', () => {
  it('reads ghcr.io\'s Bearer challenge', () => {
    expect(parseAuthChallenges('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:glowingkitty/openmates-api:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:glowingkitty/openmates-api:pull' } },
    ]);
  });

  it('keeps commas inside quoted values and reads several challenges and unquoted values', () => {
    expect(parseAuthChallenges('Basic realm="Registry", Bearer realm="https://auth.example/token", scope="repository:a/b:pull,push", service=registry.example')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry' } },
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', scope: 'repository:a/b:pull,push', service: 'registry.example' } },
    ]);
  });

  it('finds the next page and resolves it against the request URL', () => {
    expect(nextLink('</v2/a/b/tags/list?last=v1.0.0&n=2>; rel="next"', 'http://127.0.0.1:5000/v2/a/b/tags/list?n=2')).toBe(
      'http://127.0.0.1:5000/v2/a/b/tags/list?last=v1.0.0&n=2',
    );
    expect(nextLink('<https://x.example/p2>; rel="prev", <https://x.example/p3>; rel=next', 'https://x.example/p1')).toBe('https://x.example/p3');
    expect(nextLink(null, 'https://x.example/')).toBeUndefined();
  });
});
