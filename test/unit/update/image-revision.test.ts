import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isOpenmatesError } from '../../../src/core/errors.js';
import { CheckCache } from '../../../src/update/check-cache.js';
import { imageRepository } from '../../../src/update/image-repository.js';
import { hostPlatform } from '../../../src/update/image-platform.js';
import { readImageRevision, REVISION_LABEL } from '../../../src/update/image-revision.js';
import { releaseRef } from '../../../src/update/release-ref.js';
import { MEDIA, startFakeManifestRegistry, type FakeManifestRegistry } from './fake-manifest-registry.js';

let registry: FakeManifestRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

const COMMIT_AMD = 'a'.repeat(40);
const COMMIT_ARM = 'b'.repeat(40);
const labelled = (commit: string, architecture = 'amd64') => ({ architecture, os: 'linux', config: { Labels: { [REVISION_LABEL]: commit, 'other.label': 'x' } } });
const repoOf = (server: FakeManifestRegistry) => imageRepository(`${server.host}/ns`, 'api');
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Error);

describe('the revision label of a release, read through the registry API (no pull)', () => {
  it('reads it from a Docker v2 schema 2 manifest, asking for all four manifest media types', async () => {
    registry = await startFakeManifestRegistry();
    registry.image(MEDIA.dockerManifest, labelled(COMMIT_AMD), 'v1.0.0');
    expect(await readImageRevision(repoOf(registry), 'v1.0.0')).toEqual({ revision: COMMIT_AMD });
    for (const type of Object.values(MEDIA)) expect(registry.accepts[0]).toContain(type);
  });

  it('reads it from an OCI image manifest, following the blob redirect to the store', async () => {
    registry = await startFakeManifestRegistry();
    registry.image(MEDIA.ociManifest, labelled(COMMIT_AMD), 'v1.0.0');
    expect(await readImageRevision(repoOf(registry), 'v1.0.0')).toEqual({ revision: COMMIT_AMD });
    expect(registry.requests.some((request) => request.startsWith('GET /blobstore/sha256%3A'))).toBe(true);
  });

  it('picks this machine\'s platform from an OCI index', async () => {
    registry = await startFakeManifestRegistry();
    const amd = registry.image(MEDIA.ociManifest, labelled(COMMIT_AMD));
    const arm = registry.image(MEDIA.ociManifest, labelled(COMMIT_ARM, 'arm64'));
    registry.manifest(
      MEDIA.ociIndex,
      {
        schemaVersion: 2,
        mediaType: MEDIA.ociIndex,
        manifests: [
          { mediaType: MEDIA.ociManifest, ...arm, platform: { os: 'linux', architecture: 'arm64' } },
          { mediaType: MEDIA.ociManifest, ...amd, platform: { os: 'linux', architecture: 'amd64' } },
        ],
      },
      'v1.1.0',
    );
    expect(await readImageRevision(repoOf(registry), 'v1.1.0', { platform: hostPlatform('x64') })).toEqual({ revision: COMMIT_AMD, platform: 'linux/amd64' });
    expect(await readImageRevision(repoOf(registry), 'v1.1.0', { platform: hostPlatform('arm64') })).toEqual({ revision: COMMIT_ARM, platform: 'linux/arm64' });
    expect(registry.requests).toContain(`GET /v2/ns/api/manifests/${encodeURIComponent(arm.digest)}`);
  });

  it('picks the arm variant from a Docker manifest list', async () => {
    registry = await startFakeManifestRegistry();
    const v6 = registry.image(MEDIA.dockerManifest, labelled('c'.repeat(40), 'arm'));
    const v7 = registry.image(MEDIA.dockerManifest, labelled('d'.repeat(40), 'arm'));
    registry.manifest(
      MEDIA.dockerList,
      {
        schemaVersion: 2,
        mediaType: MEDIA.dockerList,
        manifests: [
          { mediaType: MEDIA.dockerManifest, ...v6, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
          { mediaType: MEDIA.dockerManifest, ...v7, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        ],
      },
      'v1.1.0',
    );
    expect(await readImageRevision(repoOf(registry), 'v1.1.0', { platform: hostPlatform('arm', '7') })).toEqual({ revision: 'd'.repeat(40), platform: 'linux/arm/v7' });
  });

  it('a platform the index does not have: names what it has, not the attestation entries', async () => {
    registry = await startFakeManifestRegistry();
    const amd = registry.image(MEDIA.ociManifest, labelled(COMMIT_AMD));
    const attestation = registry.image(MEDIA.ociManifest, {});
    registry.manifest(
      MEDIA.ociIndex,
      {
        schemaVersion: 2,
        manifests: [
          { mediaType: MEDIA.ociManifest, ...amd, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: MEDIA.ociManifest, ...attestation, platform: { os: 'unknown', architecture: 'unknown' } },
        ],
      },
      'v1.1.0',
    );
    const error = await failure(readImageRevision(repoOf(registry), 'v1.1.0', { platform: hostPlatform('arm64') }));
    expect(isOpenmatesError(error) && error.kind).toBe('operation-failed');
    expect(error?.message).toBe(`Cannot read the release ${registry.host}/ns/api:v1.1.0 at http://${registry.host}: it has no image for linux/arm64 (it has linux/amd64).`);
  });

  it('no label (or Labels null, as docker writes it): no revision', async () => {
    registry = await startFakeManifestRegistry();
    registry.image(MEDIA.dockerManifest, { architecture: 'amd64', config: { Labels: { 'other.label': 'x' } } }, 'plain');
    registry.image(MEDIA.ociManifest, { architecture: 'amd64', config: { Labels: null } }, 'null-labels');
    registry.image(MEDIA.ociManifest, { architecture: 'amd64' }, 'no-config');
    for (const tag of ['plain', 'null-labels', 'no-config']) expect(await readImageRevision(repoOf(registry), tag), tag).toEqual({});
  });

  it('a malformed config blob is an error naming what is wrong', async () => {
    registry = await startFakeManifestRegistry();
    registry.image(MEDIA.ociManifest, '{"config": {"Labels": ', 'truncated');
    registry.image(MEDIA.ociManifest, ['not', 'an', 'object'], 'array');
    registry.image(MEDIA.ociManifest, { config: { Labels: 'revision=abc' } }, 'labels-text');
    registry.image(MEDIA.ociManifest, { config: { Labels: { [REVISION_LABEL]: 42 } } }, 'label-number');
    const messages = await Promise.all(['truncated', 'array', 'labels-text', 'label-number'].map(async (tag) => (await failure(readImageRevision(repoOf(registry!), tag)))?.message));
    expect(messages[0]).toContain('its config blob is not JSON');
    expect(messages[1]).toContain('its config blob is not an image config');
    expect(messages[2]).toContain('Labels that are not an object');
    expect(messages[3]).toContain(`its label ${REVISION_LABEL} is not text`);
  });

  it('a tag the registry does not have: HTTP 404 named', async () => {
    registry = await startFakeManifestRegistry();
    const error = await failure(readImageRevision(repoOf(registry), 'v9.9.9'));
    expect(error?.message).toContain('it has no tag v9.9.9 of ns/api (HTTP 404)');
  });

  it('answers the Bearer challenge once and keeps the token for the manifest and blob requests', async () => {
    registry = await startFakeManifestRegistry({ requireToken: true });
    registry.image(MEDIA.dockerManifest, labelled(COMMIT_AMD), 'v1.0.0');
    expect(await readImageRevision(repoOf(registry), 'v1.0.0')).toEqual({ revision: COMMIT_AMD });
    expect(registry.requests.filter((request) => request.startsWith('GET /token'))).toHaveLength(1);
    expect(registry.requests.filter((request) => request.startsWith('GET /v2/') && request.endsWith('[token]'))).toHaveLength(2);
  });
});

describe('blobs on another host', () => {
  let store: FakeManifestRegistry | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('follows the redirect to the blob store without sending it the registry\'s token', async () => {
    store = await startFakeManifestRegistry();
    const storeHost = store.host;
    registry = await startFakeManifestRegistry({ requireToken: true, blobLocation: (digest) => `http://${storeHost}/blobstore/${encodeURIComponent(digest)}` });
    const config = labelled(COMMIT_AMD);
    registry.image(MEDIA.dockerManifest, config, 'v1.0.0');
    store.blob(JSON.stringify(config));
    expect(await readImageRevision(repoOf(registry), 'v1.0.0')).toEqual({ revision: COMMIT_AMD });
    expect(store.requests).toHaveLength(1);
    expect(store.requests[0]).toMatch(/^GET \/blobstore\/sha256%3A[0-9a-f]{64}$/);
  });
});

describe('this machine\'s platform in Go\'s names', () => {
  it('maps Node\'s arch names', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(hostPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(hostPlatform('arm', '6')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
  });
});

describe('releaseRef: the git ref a release\'s compose file comes from', () => {
  const cacheFile = () => join(mkdtempSync(join(tmpdir(), 'om-ref-')), 'update-check.json');

  it('is the commit of the label, cached per tag', async () => {
    registry = await startFakeManifestRegistry();
    registry.image(MEDIA.ociManifest, labelled(COMMIT_AMD), 'v1.0.0');
    const cache = new CheckCache(cacheFile());
    const options = { registry: `${registry.host}/ns`, image: 'api', tag: 'v1.0.0', cache, platform: hostPlatform('x64') };
    expect(await releaseRef(options)).toEqual({ ref: COMMIT_AMD, commit: COMMIT_AMD, fromCache: false });
    const asked = registry.requests.length;
    expect(await releaseRef(options)).toEqual({ ref: COMMIT_AMD, commit: COMMIT_AMD, fromCache: true });
    expect(registry.requests.length).toBe(asked);
  });

  it('is the tag itself, with a note, when the image has no label', async () => {
    registry = await startFakeManifestRegistry();
    registry.image(MEDIA.dockerManifest, { config: { Labels: {} } }, 'v1.0.1');
    const found = await releaseRef({ registry: `${registry.host}/ns`, image: 'api', tag: 'v1.0.1', cache: new CheckCache(cacheFile()) });
    expect(found).toMatchObject({ ref: 'v1.0.1', fromCache: false });
    expect(found.commit).toBeUndefined();
    expect(found.note).toContain(`has no ${REVISION_LABEL} label`);
  });

  it('refuses a label that could not be a git ref in a URL', async () => {
    registry = await startFakeManifestRegistry();
    registry.image(MEDIA.dockerManifest, { config: { Labels: { [REVISION_LABEL]: '../../evil' } } }, 'v1.0.2');
    const error = await failure(releaseRef({ registry: `${registry.host}/ns`, image: 'api', tag: 'v1.0.2', cache: new CheckCache(cacheFile()) }));
    expect(error?.message).toContain('is not a git commit');
  });
});
