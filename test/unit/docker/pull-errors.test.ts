import { describe, expect, it } from 'vitest';
import { parseImageReference, pullFailure } from '../../../src/docker/pull-errors.js';

describe('parseImageReference', () => {
  it.each([
    ['127.0.0.1:5055/t1:v1', { registry: '127.0.0.1:5055', repository: 't1', tag: 'v1' }],
    ['127.0.0.1:5055/t1', { registry: '127.0.0.1:5055', repository: 't1', tag: 'latest' }],
    ['postgres:16', { registry: 'docker.io', repository: 'postgres', tag: '16' }],
    ['ghcr.io/openmates/api:1.2.0', { registry: 'ghcr.io', repository: 'openmates/api', tag: '1.2.0' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
    ['library/redis@sha256:abc', { registry: 'docker.io', repository: 'library/redis', tag: 'latest', digest: 'sha256:abc' }],
  ])('%s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });
});

describe('pullFailure', () => {
  it('says the tag does not exist for "manifest unknown"', () => {
    const error = pullFailure('127.0.0.1:5055/t1:nope', 'manifest for 127.0.0.1:5055/t1:nope not found: manifest unknown: manifest unknown');
    expect(error.kind).toBe('operation-failed');
    expect(error.message).toBe('Could not pull 127.0.0.1:5055/t1:nope: manifest for 127.0.0.1:5055/t1:nope not found: manifest unknown: manifest unknown.');
    expect(error.hint).toBe('The tag "nope" of t1 does not exist in the registry 127.0.0.1:5055: check the version (and the image name) you asked for.');
  });

  it('says the registry is unreachable for a refused connection', () => {
    const error = pullFailure('127.0.0.1:1/t1:v1', 'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused');
    expect(error.message).toBe('Could not pull 127.0.0.1:1/t1:v1: Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused.');
    expect(error.hint).toMatch(/^The registry 127\.0\.0\.1:1 is unreachable from the Docker engine/);
  });

  it.each([
    ['pull access denied for x, repository does not exist or may require \'docker login\'', /docker login docker\.io/],
    ['unauthorized: authentication required', /docker login/],
    ['Get "https://r:5000/v2/": http: server gave HTTP response to HTTPS client', /insecure-registries/],
    ['toomanyrequests: You have reached your pull rate limit.', /rate-limiting/],
    ['write /var/lib/docker/tmp/x: no space left on device', /disk/],
    ['Get "https://registry.example.org/v2/": dial tcp: lookup registry.example.org: no such host', /unreachable/],
    ['unknown blob', /broken copy of x:1/],
    ['something nobody expected', /Check that docker\.io is reachable/],
  ])('hints for "%s"', (message, hint) => {
    expect(pullFailure('x:1', message).hint).toMatch(hint);
  });
});
