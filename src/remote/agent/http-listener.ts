import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { servePage } from '../../web/serve-page.js';
import { listenOn } from '../listen-on.js';

/** The direct-mode listener: the web page over HTTP, and every WebSocket upgrade handed to `webSockets`. */
export interface HttpListener {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port; an address in use (or another failure) is a clear 'preflight' error. */
export async function listenHttp(host: string, port: number, webSockets: WebSocketServer): Promise<HttpListener> {
  const server = createServer(servePage);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    webSockets.handleUpgrade(request, socket, head, (webSocket) => webSockets.emit('connection', webSocket, request));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const boundPort = await listenOn(server, host, port, '127.0.0.1:PORT');
  return {
    server,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
