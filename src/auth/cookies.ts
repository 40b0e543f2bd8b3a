/** The session's cookies by name. Only names and values matter: we send them back to one API. */
export type CookieJar = Record<string, string>;

/**
 * Applies Set-Cookie headers to a jar: new values replace old ones, and a cookie the server
 * deletes (Max-Age <= 0 or an Expires in the past) leaves the jar.
 */
export function applySetCookies(jar: CookieJar, setCookieHeaders: readonly string[], now = Date.now()): CookieJar {
  const next: CookieJar = { ...jar };
  for (const header of setCookieHeaders) {
    const [pair, ...attributes] = header.split(';');
    const equals = pair?.indexOf('=') ?? -1;
    if (!pair || equals <= 0) continue;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (name === '') continue;
    if (isDeletion(attributes, now) || value === '') delete next[name];
    else next[name] = value;
  }
  return next;
}

function isDeletion(attributes: string[], now: number): boolean {
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = rawKey?.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'max-age' && Number(value) <= 0) return true;
    if (key === 'expires') {
      const time = Date.parse(value);
      if (Number.isFinite(time) && time <= now) return true;
    }
  }
  return false;
}

/** The Cookie request header for a jar, or undefined when it is empty. */
export function cookieHeader(jar: CookieJar): string | undefined {
  const pairs = Object.entries(jar).map(([name, value]) => `${name}=${value}`);
  return pairs.length > 0 ? pairs.join('; ') : undefined;
}
