import { connect, createServer, type Socket } from 'node:net';
import { testEnv } from './env.js';

/**
 * The test engine reached through plain TCP on a loopback port, as a remote engine would be
 * (DOCKER_HOST=tcp://...): the CLI then cannot read volume directories itself and goes through
 * the engine's archive endpoint.
 */
export async function engineOverTcp(): Promise<{ dockerHost: string; close: () => Promise<void> }> {
  const socketPath = testEnv().dockerHost.replace(/^unix:\/\//, '');
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const engine = connect(socketPath);
    for (const socket of [client, engine]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(engine).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    dockerHost: `tcp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
