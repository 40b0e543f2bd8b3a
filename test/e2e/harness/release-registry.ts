/**
 * Lays out releases in the test registry the way upstream's CI publishes them, through the
 * Registry HTTP API v2: under a namespace of its own, each fixture image (openmates-test/<image>)
 * is copied (its layers mounted across repositories) as
 * - "index": an OCI image index for linux/amd64 (the runnable fixture image) and linux/arm64,
 *   whose image configs carry the label org.opencontainers.image.revision=<revision>;
 * - "single": the plain single-platform Docker manifest, without a label.
 * Pushing the same layout again changes nothing.
 */
import { createHash } from 'node:crypto';
import { FIXTURE_IMAGES, FIXTURE_NAMESPACE, testEnv } from './env.js';

export const REVISION_LABEL = 'org.opencontainers.image.revision';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export interface ReleaseSpec {
  tag: string;
  /** The fixture tag (openmates-test/<image>:<from>) whose images it is made of. */
  from: string;
  layout: 'index' | 'single';
  /** The revision label of an "index" release. */
  revision?: string;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export async function publishReleases(namespace: string, releases: ReleaseSpec[]): Promise<void> {
  for (const image of FIXTURE_IMAGES) {
    for (const release of releases) await publishImage(`${namespace}/${image}`, `${FIXTURE_NAMESPACE}/${image}`, release);
  }
}

async function publishImage(repository: string, source: string, release: ReleaseSpec): Promise<void> {
  const sourceManifest = (await (await request('GET', `/v2/${source}/manifests/${release.from}`, { accept: DOCKER_MANIFEST })).json()) as { config: Descriptor; layers: Descriptor[] };
  for (const blob of [sourceManifest.config, ...sourceManifest.layers]) await mountBlob(repository, source, blob.digest);
  if (release.layout === 'single') {
    await putManifest(repository, release.tag, DOCKER_MANIFEST, JSON.stringify(sourceManifest));
    return;
  }
  const config = (await (await request('GET', `/v2/${source}/blobs/${sourceManifest.config.digest}`)).json()) as { architecture: string; config?: { Labels?: Record<string, string> | null } };
  const layers = sourceManifest.layers.map((layer) => ({ mediaType: OCI_LAYER, digest: layer.digest, size: layer.size }));
  const platforms: (Descriptor & { platform: { os: string; architecture: string } })[] = [];
  for (const architecture of ['amd64', 'arm64']) {
    // The arm64 entry shares the layers: nothing here runs it, it only has to be a second platform.
    const labelled = { ...config, architecture, config: { ...config.config, Labels: { ...(config.config?.Labels ?? {}), [REVISION_LABEL]: release.revision ?? '' } } };
    const configBlob = await uploadBlob(repository, JSON.stringify(labelled));
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: OCI_CONFIG, ...configBlob }, layers });
    const digest = await putManifest(repository, sha256(manifest), OCI_MANIFEST, manifest);
    platforms.push({ mediaType: OCI_MANIFEST, digest, size: Buffer.byteLength(manifest), platform: { os: 'linux', architecture } });
  }
  await putManifest(repository, release.tag, OCI_INDEX, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: platforms }));
}

async function mountBlob(repository: string, from: string, digest: string): Promise<void> {
  if ((await request('HEAD', `/v2/${repository}/blobs/${digest}`, { allow: [404] })).status === 200) return;
  const mounted = await request('POST', `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, { allow: [202] });
  if (mounted.status === 201) return;
  const content = Buffer.from(await (await request('GET', `/v2/${from}/blobs/${digest}`)).arrayBuffer());
  await finishUpload(mounted, digest, content);
}

async function uploadBlob(repository: string, text: string): Promise<{ digest: string; size: number }> {
  const content = Buffer.from(text);
  const digest = sha256(content);
  if ((await request('HEAD', `/v2/${repository}/blobs/${digest}`, { allow: [404] })).status !== 200) {
    await finishUpload(await request('POST', `/v2/${repository}/blobs/uploads/`), digest, content);
  }
  return { digest, size: content.length };
}

async function finishUpload(started: Response, digest: string, content: Buffer): Promise<void> {
  const location = new URL(started.headers.get('location') ?? '', registryUrl());
  location.searchParams.set('digest', digest);
  await request('PUT', location.pathname + location.search, { body: content, contentType: 'application/octet-stream' });
}

async function putManifest(repository: string, reference: string, mediaType: string, text: string): Promise<string> {
  const response = await request('PUT', `/v2/${repository}/manifests/${reference}`, { body: Buffer.from(text), contentType: mediaType });
  return response.headers.get('docker-content-digest') ?? sha256(text);
}

function sha256(content: string | Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

function registryUrl(): string {
  return `http://${testEnv().registry}`;
}

async function request(method: string, path: string, options: { accept?: string; body?: Buffer; contentType?: string; allow?: number[] } = {}): Promise<Response> {
  const response = await fetch(new URL(path, registryUrl()), {
    method,
    headers: { ...(options.accept ? { Accept: options.accept } : {}), ...(options.contentType ? { 'Content-Type': options.contentType } : {}) },
    ...(options.body ? { body: options.body } : {}),
  });
  if (!response.ok && !(options.allow ?? []).includes(response.status)) {
    throw new Error(`test registry: ${method} ${path} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  }
  return response;
}
