import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { OpenmatesError } from '../../core/errors.js';
import { webPageAsset } from '../../web/page-assets.js';
import { WEB_PAGE_HEADERS } from '../../web/page-headers.js';

/** The direct-mode listener: the web page over HTTP, and every WebSocket upgrade handed to `webSockets`. */
export interface HttpListener {
  server: Server;
  port: number;
  close(): Promise<void>;
}

function answer(response: ServerResponse, status: number, contentType: string, body: Buffer | string, method: string | undefined) {
  response.writeHead(status, { ...WEB_PAGE_HEADERS, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(method === 'HEAD' ? undefined : body);
}

export function servePage(request: IncomingMessage, response: ServerResponse): void {
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return answer(response, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD are answered here.\n', method);
  }
  const asset = webPageAsset(request.url ?? '/');
  if (asset) return answer(response, 200, asset.contentType, asset.body, method);
  const path = (request.url ?? '/').split('?', 1)[0];
  const notBuilt = path === '/' || path === '/index.html';
  answer(response, 404, 'text/plain; charset=utf-8', notBuilt ? 'The web page is not built into this openmates (run `npm run build`).\n' : 'Not found.\n', method);
}

/** Listens on host:port; an address in use (or another failure) is a clear 'preflight' error. */
export async function listenHttp(host: string, port: number, webSockets: WebSocketServer): Promise<HttpListener> {
  const server = createServer(servePage);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    webSockets.handleUpgrade(request, socket, head, (webSocket) => webSockets.emit('connection', webSocket, request));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      reject(
        error.code === 'EADDRINUSE'
          ? new OpenmatesError('preflight', `Cannot listen on ${where}: the port is taken.`, 'Pick another with --listen 127.0.0.1:PORT, or stop what holds it.')
          : new OpenmatesError('preflight', `Cannot listen on ${where}: ${error.message}.`, 'Pass another address with --listen HOST:PORT.'),
      );
    });
    server.listen(port, host);
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
