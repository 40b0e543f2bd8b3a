import { OpenmatesError } from '../core/errors.js';
import type { HttpAnswer, HttpRequestInit } from '../core/http/http-request.js';
import { cookieHeader, type CookieJar } from './cookies.js';

/** One call to the OpenMates API. */
export interface ApiRequest {
  method: 'GET' | 'POST';
  /** e.g. "/v1/auth/pair/initiate" */
  path: string;
  body?: unknown;
  cookies?: CookieJar;
  /** What the call is for, as the end of "…when asked to <purpose>": "give a login code". */
  purpose: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  setCookies: string[];
}

/** How a request reaches the API: src/core/http/http-request.ts (node:http, no fetch), or a stand-in in tests. */
export type SendRequest = (url: string, init: HttpRequestInit) => Promise<HttpAnswer>;

export interface ApiTransport {
  send: SendRequest;
  /** Each request's own deadline. */
  timeoutMs: number;
  userAgent: string;
}

/** HTTP 429: the caller may wait `retryAfterSeconds` (from Retry-After, when the server sent one) and try again. */
export class RateLimitedError extends OpenmatesError {
  constructor(
    readonly apiBase: string,
    readonly purpose: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super('operation-failed', `The OpenMates API at ${apiBase} is rate-limiting requests to ${purpose} (HTTP 429).`, 'Wait a while and try again.');
    this.name = 'RateLimitedError';
  }
}

/** The API did not answer usefully: network trouble, a timeout, or a 5xx. Worth another try later. */
export class ApiUnavailableError extends OpenmatesError {
  constructor(message: string, hint: string) {
    super('operation-failed', message, hint);
    this.name = 'ApiUnavailableError';
  }
}

/** A 4xx answer other than 429; `serverMessage` is the server's own short explanation, when it gave one as a string. */
export class ApiStatusError extends OpenmatesError {
  constructor(
    readonly status: number,
    message: string,
    hint: string | undefined,
    readonly serverMessage: string | undefined,
  ) {
    super('operation-failed', message, hint);
    this.name = 'ApiStatusError';
  }
}

/**
 * Calls the API and returns the parsed JSON body of a 2xx answer. Everything else is an
 * OpenmatesError whose sentence names the API, the purpose and the cause. No message ever quotes
 * a request or response body: they may hold a PIN, a bundle, cookies or tokens.
 */
export async function callApi(apiBase: string, request: ApiRequest, transport: ApiTransport, signal?: AbortSignal): Promise<ApiResponse> {
  if (signal?.aborted) throw stopped();
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': transport.userAgent };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const cookie = request.cookies ? cookieHeader(request.cookies) : undefined;
  if (cookie) headers.cookie = cookie;

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), transport.timeoutMs);
  const onAbort = () => deadline.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let response: HttpAnswer;
  try {
    response = await transport.send(`${apiBase}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: deadline.signal,
      maxBodyBytes: MAX_ANSWER_BYTES,
    });
  } catch (error) {
    if (signal?.aborted) throw stopped();
    if (deadline.signal.aborted) {
      throw new ApiUnavailableError(
        `The OpenMates API at ${apiBase} did not answer within ${Math.round(transport.timeoutMs / 1000)} s when asked to ${request.purpose}.`,
        'Check that the server is up (openmates server status) and reachable from here, then try again.',
      );
    }
    throw networkError(apiBase, request.purpose, error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }

  const status = response.status;
  if (status === 429) throw new RateLimitedError(apiBase, request.purpose, retryAfterSeconds(headerOf(response, 'retry-after') ?? null));
  if (status >= 500) {
    throw new ApiUnavailableError(
      `The OpenMates API at ${apiBase} failed when asked to ${request.purpose}: it answered ${status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      'The server has a problem; look at its logs (openmates server status), then try again.',
    );
  }
  const body = parseJson(response.body);
  if (status >= 400) {
    const serverMessage = shortServerMessage(body);
    const hint =
      status === 404
        ? `Is ${apiBase} the API of an OpenMates server? Pass the right one with --api-url.`
        : 'Try again; if it keeps happening, the server and this CLI may not agree on the protocol.';
    throw new ApiStatusError(
      status,
      `The OpenMates API at ${apiBase} refused to ${request.purpose}: it answered ${status}${response.statusText ? ` ${response.statusText}` : ''}${serverMessage ? ` (${serverMessage})` : ''}.`,
      hint,
      serverMessage,
    );
  }
  if (body === undefined) {
    throw new OpenmatesError('operation-failed', `The OpenMates API at ${apiBase} answered with something that is not JSON when asked to ${request.purpose}.`, `Is ${apiBase} the API of an OpenMates server? Pass the right one with --api-url.`);
  }
  return { status, body, setCookies: response.headers['set-cookie'] ?? [] };
}

/** An answer larger than this is cut (and then is not JSON): the API's answers are a few kilobytes. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

function headerOf(response: HttpAnswer, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function stopped(): OpenmatesError {
  return new OpenmatesError('interrupted', 'Stopped.');
}

/** JSON.parse quotes the input in its message; this never does. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The server's explanation when it is a short plain string (FastAPI `detail`, or `message`).
 * Validation errors (lists) are left out: they echo the request's fields back.
 */
function shortServerMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['detail', 'message']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 160);
  }
  return undefined;
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens there)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

function networkError(apiBase: string, purpose: string, error: unknown): ApiUnavailableError {
  const code = errorCode(error);
  const cause = (code && NETWORK_CAUSES[code]) ?? (code ? `network error ${code}` : `network error (${innermostMessage(error)})`);
  return new ApiUnavailableError(
    `Cannot reach the OpenMates API at ${apiBase} to ${purpose}: ${cause}.`,
    code === 'ECONNREFUSED'
      ? 'Check that the server runs (openmates server status) or pass the right API with --api-url.'
      : 'Check the network and the API URL (--api-url), then try again.',
  );
}

/** The deepest cause's message, e.g. undici's "bad port". */
function innermostMessage(error: unknown): string {
  let current: unknown = error;
  let message = 'unknown';
  for (let depth = 0; depth < 4 && current; depth++) {
    if (current instanceof Error && current.message) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/** The socket's error code, on the error or (as fetch and undici wrap it) in its `cause`. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
