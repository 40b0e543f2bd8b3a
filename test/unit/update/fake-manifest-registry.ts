import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

export interface FakeManifestRegistry {
  host: string;
  requests: string[];
  /** The Accept header of each manifest request. */
  accepts: string[];
  /** Stores a blob and returns its digest. */
  blob(content: string): string;
  /** Stores a manifest under its digest (and `tag`, when given) and returns the digest. */
  manifest(mediaType: string, body: unknown, tag?: string): { digest: string; size: number };
  /** An image manifest of `mediaType` whose config blob holds `config` (a JSON value, or raw text). */
  image(mediaType: typeof MEDIA.dockerManifest | typeof MEDIA.ociManifest, config: unknown, tag?: string): { digest: string; size: number };
  close(): Promise<void>;
}

const TOKEN = 'anonymous-pull-token';

/**
 * A registry that serves manifests and blobs by tag and digest (GET /v2/<repo>/manifests/<ref>,
 * /v2/<repo>/blobs/<digest>, the latter through a redirect to a blob store as ghcr.io does),
 * with an optional Bearer token requirement; `blobLocation` sends blobs to another store.
 * One repository: "ns/api".
 */
export async function startFakeManifestRegistry(options: { requireToken?: boolean; blobLocation?: (digest: string) => string } = {}): Promise<FakeManifestRegistry> {
  const requests: string[] = [];
  const accepts: string[] = [];
  const blobs = new Map<string, string>();
  const manifests = new Map<string, { mediaType: string; text: string }>();
  const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url}${request.headers.authorization ? ' [token]' : ''}`);
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const send = (status: number, body: string, type = 'application/json', headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': type, ...headers });
      response.end(body);
    };
    if (url.pathname === '/token') return send(200, JSON.stringify({ token: TOKEN }));
    const stored = /^\/blobstore\/(.+)$/.exec(url.pathname);
    if (stored) {
      const blob = blobs.get(decodeURIComponent(stored[1]!));
      return blob === undefined ? send(404, '{}') : send(200, blob, 'application/octet-stream');
    }
    if (options.requireToken && request.headers.authorization !== `Bearer ${TOKEN}`) {
      return send(401, '{"errors":[{"code":"UNAUTHORIZED"}]}', 'application/json', {
        'WWW-Authenticate': `Bearer realm="http://${request.headers.host}/token",service="fake",scope="repository:ns/api:pull"`,
      });
    }
    const manifest = /^\/v2\/ns\/api\/manifests\/(.+)$/.exec(url.pathname);
    if (manifest) {
      accepts.push(String(request.headers.accept));
      const found = manifests.get(decodeURIComponent(manifest[1]!));
      return found ? send(200, found.text, found.mediaType) : send(404, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    }
    const blob = /^\/v2\/ns\/api\/blobs\/(.+)$/.exec(url.pathname);
    if (blob) {
      const digest = decodeURIComponent(blob[1]!);
      if (!blobs.has(digest)) return send(404, '{"errors":[{"code":"BLOB_UNKNOWN"}]}');
      return send(307, '', 'text/plain', { Location: options.blobLocation?.(digest) ?? `http://${request.headers.host}/blobstore/${encodeURIComponent(digest)}` });
    }
    send(404, '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const registry: FakeManifestRegistry = {
    host: `127.0.0.1:${port}`,
    requests,
    accepts,
    blob(content) {
      const digest = digestOf(content);
      blobs.set(digest, content);
      return digest;
    },
    manifest(mediaType, body, tag) {
      const text = JSON.stringify(body);
      const digest = digestOf(text);
      manifests.set(digest, { mediaType, text });
      if (tag) manifests.set(tag, { mediaType, text });
      return { digest, size: text.length };
    },
    image(mediaType, config, tag) {
      const text = typeof config === 'string' ? config : JSON.stringify(config);
      const digest = registry.blob(text);
      const configType = mediaType === MEDIA.ociManifest ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json';
      return registry.manifest(mediaType, { schemaVersion: 2, mediaType, config: { mediaType: configType, digest, size: text.length }, layers: [] }, tag);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return registry;
}
