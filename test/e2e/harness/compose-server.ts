/** A local HTTP server on 127.0.0.1 that serves given files at given paths (404 for anything else), logging each request's path. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startFileServer(files: Record<string, string>): Promise<FileServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    const body = files[path];
    response.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/plain' });
    response.end(body ?? '404: Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
