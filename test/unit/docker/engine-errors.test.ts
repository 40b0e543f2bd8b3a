import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../src/core/errors.js';
import { CallAborted, DeadlineExceeded } from '../../../src/docker/deadline.js';
import { engineHttpError, engineUnreachableError, toEngineError } from '../../../src/docker/engine-errors.js';

function nodeError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

/** What dockerode rejects with when the engine answers with an error status. */
function dockerodeHttpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: { message } });
}

const socket = 'unix:///var/run/docker.sock';
const tcp = 'tcp://127.0.0.1:1';

describe('engineUnreachableError', () => {
  it('says the socket does not exist, and how to start Docker', () => {
    const error = engineUnreachableError(nodeError('ENOENT', 'connect ENOENT /var/run/docker.sock'), socket)!;
    expect(error.kind).toBe('engine-unreachable');
    expect(error.message).toBe('Cannot reach the Docker engine at unix:///var/run/docker.sock: the socket does not exist.');
    expect(error.hint).toContain('systemctl start docker');
    expect(error.hint).toContain('dockerd');
    expect(error.hint).toContain('DOCKER_HOST');
  });

  it('says nothing listens on a stale socket', () => {
    expect(engineUnreachableError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED /x.sock'), socket)!.message).toBe(
      'Cannot reach the Docker engine at unix:///var/run/docker.sock: nothing is listening on the socket.',
    );
  });

  it('says the TCP connection was refused', () => {
    const error = engineUnreachableError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), tcp)!;
    expect(error.message).toBe('Cannot reach the Docker engine at tcp://127.0.0.1:1: the connection was refused.');
    expect(error.hint).toContain('tcp://127.0.0.1:1');
  });

  it('tells a user without permission about root and the docker group', () => {
    const error = engineUnreachableError(nodeError('EACCES', 'connect EACCES /var/run/docker.sock'), socket)!;
    expect(error.message).toBe('Cannot reach the Docker engine at unix:///var/run/docker.sock: permission denied.');
    expect(error.hint).toMatch(/root/);
    expect(error.hint).toMatch(/usermod -aG docker/);
  });

  it('names an unknown host', () => {
    const error = engineUnreachableError(nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND nohost', { hostname: 'nohost' }), 'tcp://nohost:2375')!;
    expect(error.message).toBe('Cannot reach the Docker engine at tcp://nohost:2375: the host name "nohost" could not be resolved.');
  });

  it('explains timeouts and hang-ups', () => {
    expect(engineUnreachableError(nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), tcp)!.message).toMatch(/: the connection timed out\.$/);
    expect(engineUnreachableError(new DeadlineExceeded(5000), socket)!.message).toBe(
      'Cannot reach the Docker engine at unix:///var/run/docker.sock: it did not answer within 5 seconds.',
    );
    expect(engineUnreachableError(new Error('socket hang up'), socket)!.message).toMatch(/closed before the engine answered/);
    expect(engineUnreachableError(nodeError('ECONNRESET', 'read ECONNRESET'), socket)!.message).toMatch(/closed before the engine answered/);
  });

  it('recognises SSH login failures', () => {
    const error = engineUnreachableError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), 'ssh://me@host')!;
    expect(error.message).toBe('Cannot reach the Docker engine at ssh://me@host: the SSH login was refused.');
    expect(error.hint).toMatch(/ssh-add/);
  });

  it('leaves other errors alone', () => {
    expect(engineUnreachableError(dockerodeHttpError(500, 'boom'), socket)).toBeUndefined();
    expect(engineUnreachableError(new Error('something else'), socket)).toBeUndefined();
  });
});

describe('engineHttpError', () => {
  it('reads the status and the engine message', () => {
    expect(engineHttpError(dockerodeHttpError(404, 'No such image: x:y'))).toEqual({ statusCode: 404, message: 'No such image: x:y' });
  });

  it('falls back to the message text without the dockerode prefix', () => {
    const error = Object.assign(new Error('(HTTP code 409) unexpected - network x already exists '), { statusCode: 409 });
    expect(engineHttpError(error)).toEqual({ statusCode: 409, message: 'network x already exists' });
  });

  it('is undefined for errors without a status', () => {
    expect(engineHttpError(new Error('x'))).toBeUndefined();
  });
});

describe('toEngineError', () => {
  it('turns refusals into operation-failed with the engine message', () => {
    const error = toEngineError(dockerodeHttpError(500, 'layer does not exist.'), socket, 'list volumes');
    expect(error.kind).toBe('operation-failed');
    expect(error.message).toBe('The Docker engine at unix:///var/run/docker.sock could not list volumes: layer does not exist.');
  });

  it('turns connection problems into engine-unreachable', () => {
    expect(toEngineError(nodeError('ENOENT', 'x'), socket, 'list volumes').kind).toBe('engine-unreachable');
  });

  it('turns an abort into interrupted, and keeps OpenmatesErrors as they are', () => {
    expect(toEngineError(new CallAborted(), socket, 'list volumes').kind).toBe('interrupted');
    const own = new OpenmatesError('usage', 'x');
    expect(toEngineError(own, socket, 'y')).toBe(own);
  });
});
