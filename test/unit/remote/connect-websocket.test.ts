import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWebSocket } from '../../../src/remote/channel/connect-websocket.js';
import { isFrameTransport, webSocketTransport, type Frame } from '../../../src/remote/channel/transport.js';

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** An unmasked server text frame (RFC 6455 §5.2), short payloads only. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  return Buffer.concat([Buffer.of(0x81, payload.length), payload]);
}

/** A WebSocket server by hand whose 101 answer and first message leave in one TCP write. */
async function serverSendingWithTheUpgrade(message: string): Promise<string> {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.once('data', (request) => {
      const key = /sec-websocket-key: (\S+)/i.exec(request.toString())![1]!;
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      const head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(head), textFrame(message)]));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('connectWebSocket', () => {
  it('keeps a message that arrives together with the upgrade for whoever listens after the await', async () => {
    const url = await serverSendingWithTheUpgrade('{"type":"refused"}');
    const socket = await connectWebSocket(url);
    // As openChannel takes it, and later still: the await resumes after ws emitted the message.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const transport = isFrameTransport(socket) ? socket : webSocketTransport(socket);
    const frames: Frame[] = [];
    transport.listen({ frame: (frame) => frames.push(frame), close: () => {} });
    expect(frames).toEqual(['{"type":"refused"}']);
    transport.close();
  });

  it('names the address when nothing listens there', async () => {
    const url = await serverSendingWithTheUpgrade('x');
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await expect(connectWebSocket(url)).rejects.toThrow(`Could not connect to the remote-access agent at ${url}.`);
  });
});
