import { OpenmatesError } from '../core/errors.js';
import { PROTOCOL_VERSION } from './protocol/version.js';

/** What a device link carries: where the agent listens, who it is, and the device's secret. */
export interface DeviceLink {
  /** The agent's address, without the fragment: `http://127.0.0.1:7420/` in direct mode. */
  url: string;
  /** base64url of the agent's X25519 public key (43 characters). */
  agentId: string;
  /** base64url of 16 random bytes (22 characters). */
  deviceId: string;
  /** base64url of the device's 32-byte Ed25519 seed (43 characters): the secret. */
  deviceSeed: string;
}

const KEY_CHARS = 43; // 32 bytes, unpadded base64url
const ID_CHARS = 22; // 16 bytes
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const FIX = 'copy the whole link again from `openmates remote-access devices add` (it is printed once), or add a new device';

/** `http://127.0.0.1:7420/#v=1&a=<agent id>&d=<device id>&k=<device seed>` */
export function formatLink(link: DeviceLink): string {
  const base = new URL(link.url);
  base.hash = '';
  const fragment = new URLSearchParams({ v: String(PROTOCOL_VERSION), a: link.agentId, d: link.deviceId, k: link.deviceSeed });
  return `${base.toString()}#${fragment.toString()}`;
}

/** Parses a link; OpenmatesError('usage') naming what is wrong (never echoing the secret). */
export function parseLink(text: string): DeviceLink {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw malformed('it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw malformed(`it starts with ${url.protocol}// instead of http:// or https://`);
  if (url.hash.length <= 1) throw malformed('the part after # (the keys) is missing');
  const fields = new URLSearchParams(url.hash.slice(1));
  const version = fields.get('v');
  if (version !== String(PROTOCOL_VERSION)) {
    throw new OpenmatesError(
      'usage',
      version === null ? 'The device link has no version (v=).' : `The device link is for remote protocol version ${version}; this openmates speaks version ${PROTOCOL_VERSION}.`,
      version === null ? FIX : 'update openmates on the side that is older, or add a new device',
    );
  }
  const agentId = field(fields, 'a', 'agent id', KEY_CHARS);
  const deviceId = field(fields, 'd', 'device id', ID_CHARS);
  const deviceSeed = field(fields, 'k', 'device key', KEY_CHARS);
  url.hash = '';
  return { url: url.toString(), agentId, deviceId, deviceSeed };
}

function field(fields: URLSearchParams, name: string, label: string, length: number): string {
  const values = fields.getAll(name);
  if (values.length === 0) throw malformed(`the ${label} (${name}=) is missing`);
  if (values.length > 1) throw malformed(`the ${label} (${name}=) appears ${values.length} times`);
  const value = values[0] ?? '';
  if (value.length !== length || !BASE64URL.test(value)) throw malformed(`the ${label} (${name}=) is not ${length} base64url characters`);
  return value;
}

function malformed(why: string): OpenmatesError {
  return new OpenmatesError('usage', `The device link is malformed: ${why}.`, FIX);
}

/**
 * The WebSocket address clients dial: `<link url>/v1/connect/<agent id>` (http→ws, https→wss).
 * The same in both modes: the agent's own listener (direct) and the relay accept that path.
 */
export function webSocketUrl(link: Pick<DeviceLink, 'url' | 'agentId'>): string {
  const url = new URL(link.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/connect/${link.agentId}`;
  return url.toString();
}
