// Run by sdk-whatwg-websocket.test.ts in `node --experimental-websocket`: the SDK over the
// platform's WHATWG WebSocket (what a browser has), counting that it really was that one.
import { connect } from '../../../src/remote/sdk/index.js';

const Platform = (globalThis as { WebSocket?: new (url: string) => object }).WebSocket;
if (!Platform) throw new Error('no global WebSocket: run with --experimental-websocket');
let constructed = 0;
(globalThis as { WebSocket?: unknown }).WebSocket = class extends Platform {
  constructor(url: string) {
    super(url);
    constructed++;
  }
};
const server = await connect(process.env.OPENMATES_REMOTE_LINK!);
const read = await server.files.read('/srv/a.txt');
server.close();
console.log(JSON.stringify({ constructed, text: new TextDecoder().decode(read.bytes), version: read.version }));
