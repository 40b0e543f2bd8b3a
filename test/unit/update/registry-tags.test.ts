import { afterEach, describe, expect, it } from 'vitest';
import { isOpenmatesError } from '../../../src/core/errors.js';
import { imageRepository } from '../../../src/update/image-repository.js';
import { latestNpmVersion } from '../../../src/update/npm-latest.js';
import { listRegistryTags } from '../../../src/update/registry-tags.js';
import { closedPort, startFakeRegistry, type FakeRegistry } from './fake-registry.js';

let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

const TAGS = ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0-beta.1', 'main'];

describe('listing registry tags (Docker Registry HTTP API v2)', () => {
  it('lists the tags of an open registry in one request', async () => {
    registry = await startFakeRegistry({ repositories: { 'openmates-test/openmates-api': TAGS } });
    const tags = await listRegistryTags(imageRepository(`${registry.host}/openmates-test`, 'openmates-api'));
    expect(tags.sort()).toEqual([...TAGS].sort());
    expect(registry.requests).toEqual(['GET /v2/openmates-test/openmates-api/tags/list?n=1000']);
  });

  it('answers a 401 Bearer challenge with an anonymous token from the realm, then asks again with it', async () => {
    registry = await startFakeRegistry({ requireToken: true, repositories: { 'glowingkitty/openmates-api': TAGS } });
    const tags = await listRegistryTags(imageRepository(`${registry.host}/glowingkitty`, 'openmates-api'));
    expect(tags.sort()).toEqual([...TAGS].sort());
    expect(registry.requests).toEqual([
      'GET /v2/glowingkitty/openmates-api/tags/list?n=1000',
      'GET /token?service=fake-registry&scope=repository%3Aglowingkitty%2Fopenmates-api%3Apull',
      'GET /v2/glowingkitty/openmates-api/tags/list?n=1000 [Bearer anonymous-pull-token]',
    ]);
  });

  it('follows Link pagination, keeping the token for every page', async () => {
    const many = Array.from({ length: 7 }, (_, i) => `v1.${i}.0`);
    registry = await startFakeRegistry({ requireToken: true, pageSize: 3, repositories: { 'ns/api': many } });
    const tags = await listRegistryTags(imageRepository(`${registry.host}/ns`, 'api'));
    expect(tags.sort()).toEqual([...many].sort());
    const pages = registry.requests.filter((r) => r.includes('/tags/list') && r.includes('Bearer'));
    expect(pages).toHaveLength(3);
    expect(pages[1]).toContain('last=v1.2.0');
    expect(registry.requests.filter((r) => r.startsWith('GET /token'))).toHaveLength(1);
  });

  it('names the registry and the cause when nothing answers', async () => {
    const port = await closedPort();
    const error = await listRegistryTags(imageRepository(`127.0.0.1:${port}/ns`, 'api')).catch((e: unknown) => e);
    expect(isOpenmatesError(error) && error.kind).toBe('operation-failed');
    expect((error as Error).message).toBe(`Cannot list the versions of 127.0.0.1:${port}/ns/api at http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port} (connection refused).`);
  });

  it('says "did not answer in time" when the deadline passes', async () => {
    registry = await startFakeRegistry({ hang: true });
    const started = Date.now();
    const error = await listRegistryTags(imageRepository(`${registry.host}/ns`, 'api'), AbortSignal.timeout(300)).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((error as Error).message).toContain('did not answer in time');
  });

  it('explains a missing image', async () => {
    registry = await startFakeRegistry({ repositories: {} });
    const error = await listRegistryTags(imageRepository(`${registry.host}/ns`, 'api')).catch((e: unknown) => e);
    expect((error as Error).message).toContain('it has no image ns/api (HTTP 404)');
    expect(isOpenmatesError(error) && error.hint).toContain('versionImage');
  });
});

describe('the CLI\'s newest version on npm', () => {
  it('reads dist-tags.latest', async () => {
    registry = await startFakeRegistry({ npm: { 'openmates-server-cli': '0.3.1' } });
    expect(await latestNpmVersion(registry.url, 'openmates-server-cli')).toBe('0.3.1');
  });

  it('fails with the registry and the package named', async () => {
    registry = await startFakeRegistry({ npm: {} });
    await expect(latestNpmVersion(registry.url, 'openmates-server-cli')).rejects.toThrow(`Cannot ask ${registry.url} for the newest openmates-server-cli: HTTP 404.`);
  });
});
