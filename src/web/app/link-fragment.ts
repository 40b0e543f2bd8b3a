import { parseLink } from '../../remote/sdk/index.js';
import type { SavedDevice } from './saved-device.js';

/**
 * The device link's keys, taken from the address bar's fragment and removed from it at once
 * (history.replaceState: no history entry keeps it). Undefined when the address has no keys;
 * throws parseLink's error (which never echoes the key) for a malformed one.
 */
export function takeLinkFragment(): SavedDevice | undefined {
  const href = location.href;
  if (location.hash.length <= 1) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  const { agentId, deviceId, deviceSeed } = parseLink(href);
  return { agentId, ...(deviceId === undefined ? {} : { deviceId }), deviceSeed };
}

/** The address the SDK connects to: the page's own origin (the agent in direct mode, the relay in relay mode). */
export function pageOrigin(): string {
  return `${location.origin}/`;
}
