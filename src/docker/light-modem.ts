/**
 * The one call of docker-modem the engine makes, `dial`, over node:http for a unix socket or a
 * plain tcp engine: the same query and body encoding, the same errors (statusCode, json,
 * "(HTTP code N) reason - cause"), so DockerodeEngine behaves the same on it. Read-only commands
 * (status) then never load dockerode and its dependencies (~0.9 MB of JavaScript) at all;
 * ssh:// and TLS engines keep docker-modem.
 */
import { request, type IncomingMessage, type RequestOptions } from 'node:http';
import { stringify } from 'node:querystring';

export interface DialOptions {
  path: string;
  method: string;
  options?: Record<string, unknown>;
  statusCodes: Record<number, true | string>;
  isStream?: boolean;
  abortSignal?: AbortSignal;
}

export type DialCallback = (error: unknown, data: unknown) => void;

export interface LightModem {
  dial(options: DialOptions, callback: DialCallback): void;
}

export type LightTarget = { socketPath: string } | { host: string; port: number };

/** docker-modem's buildQuerystring: objects (not arrays) as JSON, the rest as they are. */
function queryOf(options: Record<string, unknown>): string {
  const clone: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [key, value] of Object.entries(options)) {
    clone[key] = value && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : (value as string);
  }
  return stringify(clone);
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readAll(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

export function lightModem(target: LightTarget): LightModem {
  return {
    dial(options, callback) {
      const opts = options.options;
      let path = options.path;
      if (path.includes('?')) path = opts && Object.keys(opts).length > 0 ? path + queryOf(opts) : path.slice(0, -1);
      let body: string | undefined;
      const headers: Record<string, string | number> = {};
      if (opts && options.method === 'POST') {
        const data = JSON.stringify(opts);
        if (data !== '{}' && data !== '""') {
          body = data;
          headers['Content-Type'] = 'application/json';
          headers['Content-Length'] = Buffer.byteLength(data);
        }
      }
      let done = false;
      const finish: DialCallback = (error, data) => {
        if (done) return;
        done = true;
        callback(error, data);
      };
      // servername '' (it only names a TLS server): without it the agent asks net.isIP of the default
      // host "localhost", and compiling its IPv6 pattern costs the first request a few milliseconds.
      const requestOptions: RequestOptions & { servername: string } = { ...target, path, method: options.method, headers, servername: '', ...(options.abortSignal ? { signal: options.abortSignal } : {}) };
      const req = request(requestOptions, (response) => {
        const status = response.statusCode ?? 0;
        if (options.statusCodes[status] !== true) {
          void readAll(response).then(
            (text) => {
              const json = parseBody(text);
              const cause = json && typeof json === 'object' ? ((json as { message?: string }).message ?? text) : text;
              const error = Object.assign(new Error(`(HTTP code ${status}) ${options.statusCodes[status] || 'unexpected'} - ${cause} `), { reason: options.statusCodes[status], statusCode: status, json });
              finish(error, null);
            },
            (error: unknown) => finish(error, null),
          );
          return;
        }
        if (options.isStream) return finish(null, response);
        readAll(response).then(
          (text) => finish(null, parseBody(text)),
          (error: unknown) => finish(error, null),
        );
      });
      req.on('error', (error) => finish(error, null));
      req.end(body);
    },
  };
}
