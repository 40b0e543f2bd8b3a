import { OpenmatesError } from '../../core/errors.js';
import { webSocketTransport, type FrameTransport, type WebSocketLike } from './transport.js';

type WebSocketConstructor = new (url: string) => WebSocketLike & {
  addEventListener(type: 'open' | 'error', listener: (event: unknown) => void): void;
  removeEventListener(type: 'open' | 'error' | 'close', listener: (event: unknown) => void): void;
};

// The module name lives in a variable so browser bundlers leave the Node-only import alone.
const NODE_WEBSOCKET_MODULE = 'ws';

let bundled: WebSocketConstructor | undefined;

/** The SDK's Node build hands over the `ws` it bundles (src/remote/sdk/node.ts): nothing is loaded at run time. */
export function useWebSocketClass(implementation: unknown): void {
  bundled = implementation as WebSocketConstructor;
}

/** The browser's (or Node 22's) WebSocket, else the bundled `ws`, else the `ws` package, loaded only when needed. */
async function webSocketClass(): Promise<WebSocketConstructor> {
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  if (bundled) return bundled;
  const ws = (await import(/* @vite-ignore */ NODE_WEBSOCKET_MODULE)) as { WebSocket: WebSocketConstructor; default?: WebSocketConstructor };
  return ws.WebSocket ?? ws.default;
}

/**
 * Opens a WebSocket; rejects with a sentence naming the address when it cannot connect. The
 * transport listens from the start: `ws` emits a message that arrived together with the upgrade
 * (a relay's refusal, say) before the caller's `await` resumes, and a listener added then misses it.
 */
export async function connectWebSocket(url: string, signal?: AbortSignal): Promise<FrameTransport> {
  const WebSocketImpl = await webSocketClass();
  const socket = new WebSocketImpl(url);
  const transport = webSocketTransport(socket);
  return new Promise((resolve, reject) => {
    const done = () => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('error', onError);
      socket.removeEventListener('close', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onOpen = () => {
      done();
      resolve(transport);
    };
    const onError = () => {
      done();
      socket.close();
      reject(new OpenmatesError('operation-failed', `Could not connect to the remote-access agent at ${url}.`, 'check that `openmates remote-access start` runs there (or that the SSH tunnel is up) and that the link is for it'));
    };
    const onAbort = () => {
      done();
      // ws reports closing a socket that is still connecting as an 'error' event: without a listener it would crash the process.
      socket.addEventListener('error', () => {});
      socket.close();
      reject(new OpenmatesError('interrupted', 'The connection was cancelled.'));
    };
    socket.addEventListener('open', onOpen);
    socket.addEventListener('error', onError);
    socket.addEventListener('close', onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
