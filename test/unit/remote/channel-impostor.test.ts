import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { OpenmatesError } from '../../../src/core/errors.js';
import { deriveSessionKeys, diffieHellman, transcriptHash } from '../../../src/remote/channel/handshake-crypto.js';
import { agentIdOf, createAgentIdentity, createDeviceKeys } from '../../../src/remote/channel/identity.js';
import { openChannel } from '../../../src/remote/channel/open.js';
import { PLAINTEXT_TAG, SealingStream } from '../../../src/remote/channel/sealed-stream.js';
import { fromBase64Url, loadSodium, toBase64Url } from '../../../src/remote/sodium.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('agent impersonation', () => {
  it('a server that answers with its own key instead of the one in the link is refused by the client', async () => {
    const sodium = await loadSodium();
    const impostor = await createAgentIdentity();
    const realAgentId = await agentIdOf(await createAgentIdentity());
    const device = await createDeviceKeys();
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    let sentReady = false;
    server.on('connection', (socket) => {
      socket.once('message', (data) => {
        // Everything a real agent does, with the impostor's static key: it cannot know the real one's secret.
        const hello = JSON.parse(String(data)) as { deviceId: string; clientEphemeral: string };
        const clientEphemeral = fromBase64Url(sodium, hello.clientEphemeral, 32)!;
        const ephemeral = sodium.crypto_kx_keypair();
        const es = diffieHellman(sodium, impostor.secretKey, clientEphemeral)!;
        const ee = diffieHellman(sodium, ephemeral.privateKey, clientEphemeral)!;
        const hash = transcriptHash(sodium, { version: 1, agentStatic: impostor.publicKey, deviceId: fromBase64Url(sodium, hello.deviceId, 16)!, clientEphemeral, agentEphemeral: ephemeral.publicKey });
        const keys = deriveSessionKeys(sodium, hash, es, ee);
        socket.send(JSON.stringify({ type: 'welcome', version: 1, agentEphemeral: toBase64Url(sodium, ephemeral.publicKey) }));
        socket.once('message', () => {
          const sealing = new SealingStream(sodium, keys.agentToClient);
          const ready = { type: 'ready', device: { id: hello.deviceId, name: 'x', role: 'approver' } };
          socket.send(sealing.seal(PLAINTEXT_TAG.control, new TextEncoder().encode(JSON.stringify(ready))));
          sentReady = true;
        });
      });
    });
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const error = await openChannel(url, { agentId: realAgentId, deviceId: device.id, deviceSeed: device.seed }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(sentReady).toBe(true);
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('device-refused');
    expect((error as OpenmatesError).message).toMatch(/did not prove it holds the agent key in the link/);
  });
});
