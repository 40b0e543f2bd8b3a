import { OpenmatesError } from './errors.js';

/**
 * The relay's address as `--relay` takes it (for `remote-access start` and the unit that runs it):
 * http(s) or ws(s), normalised to http(s) with a trailing slash. No user, password, query or
 * fragment: the address shows in `status`, in device links and in a world-readable unit file.
 */
export function parseRelayUrl(raw: string): { url: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OpenmatesError('usage', `--relay takes the relay's URL (e.g. https://relay.example.com/), not "${raw}".`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new OpenmatesError('usage', `--relay must start with https:// (or http://), not ${url.protocol}//.`);
  if (url.username || url.password || url.hash || url.search) {
    throw new OpenmatesError('usage', "--relay takes the relay's address only, without a user, password, ? or #: it shows in status, device links and the service's unit file.");
  }
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { url: url.toString() };
}
