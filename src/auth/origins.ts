import { OpenmatesError } from '../core/errors.js';

/**
 * Where the API lives: its origin plus any path prefix a reverse proxy adds, without a trailing
 * slash ("https://api.example.org", "https://example.org/api"). Endpoints are `${base}/v1/...`.
 */
export function apiBaseFromUrl(raw: string, source: string): string {
  const url = parseHttpUrl(raw, source);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/** An app origin as given (--app-url): scheme, host and port only. */
export function appOriginFromUrl(raw: string, source: string): string {
  return parseHttpUrl(raw, source).origin;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The web app's origin for an API, as OpenMates lays them out: `api.X` -> `app.X`,
 * `api.openmates.org` -> `openmates.org`, a local API -> `http://localhost:5173`. Undefined when
 * the API's host follows none of these (the caller then needs another source or --app-url).
 */
export function deriveAppOrigin(apiBase: string): string | undefined {
  const url = new URL(apiBase);
  const host = url.hostname.toLowerCase();
  if (LOCAL_HOSTS.has(host)) return 'http://localhost:5173';
  if (host === 'api.openmates.org') return `${url.protocol}//openmates.org${url.port ? `:${url.port}` : ''}`;
  if (host.startsWith('api.') && host.length > 'api.'.length) return `${url.protocol}//app.${host.slice('api.'.length)}${url.port ? `:${url.port}` : ''}`;
  return undefined;
}

/** The link the other device opens: `<app origin>/#pair=<TOKEN>`. */
export function pairLink(appOrigin: string, token: string): string {
  return `${appOrigin}/#pair=${token}`;
}

function parseHttpUrl(raw: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OpenmatesError('usage', `${source} is not a URL: "${raw}".`, 'Give a full URL such as https://api.example.org or http://localhost:8000.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OpenmatesError('usage', `${source} must be an http:// or https:// URL, not "${raw}".`, 'Give a full URL such as https://api.example.org or http://localhost:8000.');
  }
  if (url.username || url.password) {
    throw new OpenmatesError('usage', `${source} must not carry a user name or password.`, 'Give the URL without "user:password@".');
  }
  return url;
}
