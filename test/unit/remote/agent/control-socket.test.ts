import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askAgent } from '../../../../src/remote/agent/control-client.js';
import { controlSocketPath } from '../../../../src/remote/agent/control-path.js';
import { startControlServer } from '../../../../src/remote/agent/control-server.js';
import { OpenmatesError } from '../../../../src/core/errors.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'control-'));
});
afterEach(async () => rm(base, { recursive: true, force: true }));

describe('control socket', () => {
  it('answers requests, keeps errors typed, is 0600 in a 0700 dir, and is gone after close', async () => {
    const socket = controlSocketPath(join(base, 'state'), { XDG_RUNTIME_DIR: join(base, 'run') });
    const server = await startControlServer(socket, async (request) => {
      if (request.op === 'devices.revoke') throw new OpenmatesError('usage', `No device named "${request.name}" is active.`);
      return { op: request.op };
    });
    expect((await stat(socket.path)).mode & 0o777).toBe(0o600);
    expect((await stat(socket.dir)).mode & 0o777).toBe(0o700);
    expect(await askAgent(socket.path, { op: 'status' })).toEqual({ op: 'status' });
    await expect(askAgent(socket.path, { op: 'devices.revoke', name: 'x' })).rejects.toMatchObject({ kind: 'usage', message: 'No device named "x" is active.' });
    await server.close();
    await expect(stat(socket.path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await askAgent(socket.path, { op: 'status' })).toBeUndefined();
  });

  it('two state dirs get two sockets', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    expect(controlSocketPath('/a', env).path).not.toBe(controlSocketPath('/b', env).path);
  });
});
