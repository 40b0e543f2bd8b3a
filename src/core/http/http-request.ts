import { request as httpRequest, type IncomingMessage } from 'node:http';

const MAX_REDIRECTS = 5;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface HttpRequestInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** The body is cut here (default 1 MiB). */
  maxBodyBytes?: number;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Header names in lower case; set-cookie is the one that is a list. */
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * One request over node:http(s), redirects followed as fetch follows them (303, and 301/302 after
 * a POST, become a GET without body), the body as text. Health checks and the OpenMates API calls
 * use this instead of fetch: fetch loads undici and its WebAssembly parser, which costs a read-only
 * command like `status` or `whoami` more than the request itself.
 */
export async function requestText(url: string, init: HttpRequestInit, redirects = 0): Promise<HttpAnswer> {
  const target = new URL(url);
  // node:https (with tls and crypto) loads only for an https URL: the local health checks are plain http.
  const request = target.protocol === 'https:' ? (await import('node:https')).request : target.protocol === 'http:' ? httpRequest : undefined;
  if (!request) throw new Error(`unsupported protocol ${target.protocol}`);
  const headers = { accept: '*/*', ...init.headers, ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) };
  const send = () =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(target, { method: init.method, signal: init.signal, headers }, resolve);
      req.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      req.end(init.body);
    });
  // Node keeps connections alive between requests; a server that closed one while it sat idle
  // resets it on reuse. That says nothing about the server, so the request goes once more on a
  // fresh connection (what Node's documentation advises for reusedSocket).
  const response = await send().catch((error: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    if (error.reusedSocket && error.code === 'ECONNRESET' && !init.signal.aborted) return send();
    throw error;
  });
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status >= 300 && status < 400 && status !== 304 && location && redirects < MAX_REDIRECTS) {
    response.resume();
    const keepsMethod = status === 307 || status === 308 || init.method === 'GET';
    const { body: _body, ...rest } = init;
    return requestText(new URL(location, target).toString(), keepsMethod ? init : { ...rest, method: 'GET' }, redirects + 1);
  }
  const limit = init.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.byteLength;
    if (bytes > limit) break;
    chunks.push(chunk);
  }
  return { status, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks).toString('utf8') };
}

/** A GET: the status and the body (at most 1 MiB). */
export async function httpGet(url: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
  const { status, body } = await requestText(url, { method: 'GET', signal });
  return { status, body };
}
