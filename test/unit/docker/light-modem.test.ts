import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHttpError, engineUnreachableError } from '../../../src/docker/engine-errors.js';
import { lightModem, type DialOptions } from '../../../src/docker/light-modem.js';

/** A fake engine on a unix socket: answers what it was asked, as the engine API would. */
describe('the light modem: docker-modem\'s dial over node:http', () => {
  let server: Server;
  let socketPath: string;
  const seen: { url: string; method: string; body: string; type?: string }[] = [];

  beforeAll(async () => {
    socketPath = join(await mkdtemp(join(tmpdir(), 'omt-modem-')), 'docker.sock');
    server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ url: request.url ?? '', method: request.method ?? '', body, ...(request.headers['content-type'] ? { type: request.headers['content-type'] } : {}) });
        if (request.url === '/_ping') return response.end('OK');
        if (request.url?.startsWith('/containers/missing')) {
          response.writeHead(404, { 'Content-Type': 'application/json' });
          return response.end(JSON.stringify({ message: 'No such container: missing' }));
        }
        if (request.url?.startsWith('/stream')) return response.end('line 1\nline 2\n');
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify([{ Id: 'abc' }]));
      });
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dial = (options: DialOptions) => new Promise<unknown>((resolve, reject) => lightModem({ socketPath }).dial(options, (error, data) => (error ? reject(error) : resolve(data))));

  it('encodes the query as docker-modem does (objects as JSON) and parses a JSON answer', async () => {
    const listed = await dial({ path: '/containers/json?', method: 'GET', options: { all: true, filters: { label: ['a=b'] } }, statusCodes: { 200: true } });
    expect(listed).toEqual([{ Id: 'abc' }]);
    expect(decodeURIComponent(seen.at(-1)!.url)).toBe('/containers/json?all=true&filters={"label":["a=b"]}');
    expect(await dial({ path: '/_ping', method: 'GET', statusCodes: { 200: true } })).toBe('OK');
  });

  it('sends a POST\'s options as its JSON body', async () => {
    await dial({ path: '/networks/create?', method: 'POST', options: { Name: 'n' }, statusCodes: { 200: true } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"Name":"n"}', type: 'application/json' });
  });

  it('fails with the engine\'s own message and status, as engineHttpError reads them', async () => {
    const error = await dial({ path: '/containers/missing/json', method: 'GET', statusCodes: { 200: true, 404: 'no such container' } }).catch((caught: unknown) => caught);
    expect(engineHttpError(error)).toEqual({ statusCode: 404, message: 'No such container: missing' });
  });

  it('hands a stream over as it is, and a missing socket is "engine unreachable"', async () => {
    const stream = (await dial({ path: '/stream', method: 'GET', isStream: true, statusCodes: { 200: true } })) as NodeJS.ReadableStream;
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    expect(text).toBe('line 1\nline 2\n');
    const error = await new Promise((resolve) => lightModem({ socketPath: `${socketPath}.gone` }).dial({ path: '/_ping', method: 'GET', statusCodes: { 200: true } }, resolve));
    expect(engineUnreachableError(error, `unix://${socketPath}.gone`)?.message).toContain('the socket does not exist');
  });
});
