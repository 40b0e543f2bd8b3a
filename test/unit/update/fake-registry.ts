import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistryOptions {
  /** repository → tags, e.g. { 'glowingkitty/openmates-api': ['v1.0.0', 'v1.1.0'] }. */
  repositories?: Record<string, string[]>;
  /** Ask for an anonymous Bearer token first, the way ghcr.io does. */
  requireToken?: boolean;
  /** Tags per page when the client asks for more (the registry decides, like ghcr.io's 100). */
  pageSize?: number;
  /** npm packages: name → dist-tags.latest. */
  npm?: Record<string, string>;
  /** Accept connections and never answer. */
  hang?: boolean;
}

export interface FakeRegistry {
  url: string;
  host: string;
  requests: string[];
  close(): Promise<void>;
}

const TOKEN = 'anonymous-pull-token';

/** A small Docker Registry v2 (tags/list, token service, Link pages) and npm registry on 127.0.0.1. */
export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const requests: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url}${request.headers.authorization ? ` [${request.headers.authorization}]` : ''}`);
    if (options.hang) {
      hanging.add(response);
      return;
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      if (url.searchParams.get('service') !== 'fake-registry' || !/^repository:.+:pull$/.test(scope)) return json(400, { errors: [{ code: 'DENIED' }] });
      return json(200, { token: TOKEN });
    }
    const tagsList = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    if (tagsList) {
      const repository = tagsList[1]!;
      if (options.requireToken && request.headers.authorization !== `Bearer ${TOKEN}`) {
        return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, {
          'WWW-Authenticate': `Bearer realm="http://${request.headers.host}/token",service="fake-registry",scope="repository:${repository}:pull"`,
        });
      }
      const tags = options.repositories?.[repository];
      if (!tags) return json(404, { errors: [{ code: 'NAME_UNKNOWN' }] });
      const sorted = [...tags].sort();
      const asked = Number(url.searchParams.get('n') ?? sorted.length);
      const size = Math.min(asked, options.pageSize ?? sorted.length);
      const last = url.searchParams.get('last');
      const start = last ? sorted.indexOf(last) + 1 : 0;
      const page = sorted.slice(start, start + size);
      const more = start + size < sorted.length;
      return json(200, { name: repository, tags: page }, more ? { Link: `</v2/${repository}/tags/list?last=${encodeURIComponent(page.at(-1)!)}&n=${size}>; rel="next"` } : {});
    }
    const npmName = decodeURIComponent(url.pathname.slice(1));
    if (options.npm?.[npmName]) return json(200, { name: npmName, 'dist-tags': { latest: options.npm[npmName] } });
    json(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
