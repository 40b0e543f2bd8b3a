import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { isOpenmatesError, messageOf } from '../../core/errors.js';
import { controlRequestSchema, type ControlRequest } from './control-messages.js';

export interface ControlServer {
  path: string;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 64 * 1024;

/** The unix socket (0600 in a 0700 dir) through which the CLI reaches the running agent. */
export async function startControlServer(socket: { dir: string; path: string }, answer: (request: ControlRequest) => Promise<unknown>): Promise<ControlServer> {
  await mkdir(socket.dir, { recursive: true, mode: 0o700 });
  await chmod(socket.dir, 0o700);
  await rm(socket.path, { force: true }); // a socket left by an agent that was killed
  const server: Server = createServer((connection) => {
    let buffer = '';
    connection.setEncoding('utf8');
    connection.on('error', () => {});
    connection.on('data', (data: string) => {
      buffer += data;
      if (buffer.length > MAX_REQUEST_BYTES) return void connection.destroy();
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      const line = buffer.slice(0, end);
      buffer = '';
      void respond(line).then((response) => connection.end(`${JSON.stringify(response)}\n`));
    });
  });
  const respond = async (line: string) => {
    let request: ControlRequest;
    try {
      request = controlRequestSchema.parse(JSON.parse(line));
    } catch {
      return { ok: false, error: { code: 'usage', message: 'The control request is not understood.' } };
    }
    try {
      return { ok: true, result: await answer(request) };
    } catch (error) {
      return { ok: false, error: { code: isOpenmatesError(error) ? error.kind : 'internal', message: messageOf(error), ...(isOpenmatesError(error) && error.hint ? { hint: error.hint } : {}) } };
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket.path, () => resolve());
  });
  await chmod(socket.path, 0o600);
  return {
    path: socket.path,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(socket.path, { force: true });
    },
  };
}
