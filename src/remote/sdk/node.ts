/**
 * openmates-server-cli/remote for Node: the same SDK with `ws` bundled in (Node 20 has no global
 * WebSocket), so the package needs nothing installed beside it.
 */
import { WebSocket } from 'ws';
import { useWebSocketClass } from '../channel/connect-websocket.js';

useWebSocketClass(WebSocket);

export * from './index.js';
