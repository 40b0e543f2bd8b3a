import type { ImageRepository } from './image-repository.js';
import { hostPlatform, platformText, type ImagePlatform } from './image-platform.js';
import { RegistryClient } from './registry-client.js';

/** The OCI label CI sets to the git commit an image was built from. */
export const REVISION_LABEL = 'org.opencontainers.image.revision';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const MANIFEST_ACCEPT = [DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX].join(', ');
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;

export interface ImageRevision {
  /** The revision label's value; undefined when the image has none. */
  revision?: string;
  /** The platform picked from a manifest list / OCI index ("linux/amd64"); undefined for a single-platform tag. */
  platform?: string;
}

interface ManifestEntry {
  digest?: unknown;
  platform?: { os?: unknown; architecture?: unknown; variant?: unknown };
}

/**
 * The revision label of `repo:tag`, read through the Registry HTTP API v2 without pulling:
 * the tag's manifest (for a manifest list or OCI index, then the manifest of this machine's
 * platform), then its config blob's Labels. Throws OpenmatesError('operation-failed') naming the
 * image and what was wrong; `signal` bounds the whole walk.
 */
export async function readImageRevision(
  repo: ImageRepository,
  tag: string,
  options: { platform?: ImagePlatform; signal?: AbortSignal } = {},
): Promise<ImageRevision> {
  const image = `${repo.display}:${tag}`;
  const client = new RegistryClient(repo, `read the release ${image}`, options.signal);
  const manifestUrl = (reference: string) => `${repo.baseUrl}/v2/${repo.repository}/manifests/${encodeURIComponent(reference)}`;

  let manifest = await fetchManifest(client, manifestUrl(tag), tag);
  let platform: string | undefined;
  if (manifest.kind === 'index') {
    const wanted = options.platform ?? hostPlatform();
    const entry = pickPlatform(manifest.body.manifests as ManifestEntry[], wanted);
    if (!entry) {
      const offered = (manifest.body.manifests as ManifestEntry[]).map(entryPlatform).filter((text) => text && !text.startsWith('unknown/'));
      throw client.error(
        `it has no image for ${platformText(wanted)} (it has ${offered.length > 0 ? offered.join(', ') : 'no platforms'})`,
        'This server\'s platform is not one the release is built for; pick another --tag, or another server.',
      );
    }
    platform = platformText(wanted);
    manifest = await fetchManifest(client, manifestUrl(entry.digest as string), tag);
    if (manifest.kind === 'index') throw client.error(`the manifest for ${platform} is itself an index`);
  }

  const config = (manifest.body.config ?? {}) as { digest?: unknown };
  if (typeof config.digest !== 'string' || !DIGEST.test(config.digest)) throw client.error('its manifest names no config blob');
  const response = await client.get(`${repo.baseUrl}/v2/${repo.repository}/blobs/${config.digest}`, 'application/json, */*');
  if (!response.ok) throw client.error(`its config blob ${config.digest} answered HTTP ${response.status}`);
  const blob = await client.readJson(response, 'its config blob');
  if (!isObject(blob)) throw client.error('its config blob is not an image config (not a JSON object)');
  const labels = isObject(blob.config) ? blob.config.Labels : undefined;
  if (labels !== undefined && labels !== null && !isObject(labels)) throw client.error('its config blob has Labels that are not an object');
  const revision = labels ? labels[REVISION_LABEL] : undefined;
  if (revision !== undefined && typeof revision !== 'string') throw client.error(`its label ${REVISION_LABEL} is not text`);
  return { ...(revision ? { revision } : {}), ...(platform ? { platform } : {}) };
}

type Manifest = { kind: 'index'; body: Record<string, unknown> } | { kind: 'image'; body: Record<string, unknown> };

async function fetchManifest(client: RegistryClient, url: string, tag: string): Promise<Manifest> {
  const response = await client.get(url, MANIFEST_ACCEPT);
  if (response.status === 404) {
    await response.body?.cancel();
    throw client.error(`it has no tag ${tag} of ${client.repo.repository} (HTTP 404)`, 'Check the version (--tag) and the stack\'s "registry" and "versionImage".');
  }
  if (!response.ok) throw client.error(`its manifest answered HTTP ${response.status}`);
  const body = await client.readJson(response, 'its manifest');
  if (!isObject(body)) throw client.error('its manifest is not a JSON object');
  const mediaType = (typeof body.mediaType === 'string' ? body.mediaType : undefined) ?? response.headers.get('content-type')?.split(';')[0]?.trim();
  if (mediaType === OCI_INDEX || mediaType === DOCKER_LIST || (mediaType === undefined && Array.isArray(body.manifests))) {
    if (!Array.isArray(body.manifests)) throw client.error('its manifest list has no "manifests"');
    return { kind: 'index', body };
  }
  if (mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST || (mediaType === undefined && isObject(body.config))) return { kind: 'image', body };
  throw client.error(`its manifest has the media type ${mediaType ?? '(none)'}, which is none of ${MANIFEST_ACCEPT}`);
}

/** The entry for `wanted`: same os and architecture; the same variant first, then one without a variant. */
function pickPlatform(entries: ManifestEntry[], wanted: ImagePlatform): ManifestEntry | undefined {
  const usable = entries.filter((entry) => typeof entry.digest === 'string' && DIGEST.test(entry.digest));
  const same = usable.filter((entry) => entry.platform?.os === wanted.os && entry.platform?.architecture === wanted.architecture);
  if (!wanted.variant) return same.find((entry) => entry.platform?.variant === undefined) ?? same[0];
  return same.find((entry) => entry.platform?.variant === wanted.variant) ?? same.find((entry) => entry.platform?.variant === undefined);
}

function entryPlatform(entry: ManifestEntry): string {
  const { os, architecture, variant } = entry.platform ?? {};
  if (typeof os !== 'string' || typeof architecture !== 'string') return '';
  return platformText({ os, architecture, ...(typeof variant === 'string' ? { variant } : {}) });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
