import { OpenmatesError } from '../core/errors.js';
import { fromBase32, fromBase64Url, toBase32, toBase64Url } from './link-encoding.js';
import { PROTOCOL_VERSION } from './protocol/version.js';

/** What a device link carries: where the agent listens, who it is, and the device's secret. */
export interface DeviceLink {
  /** The agent's address, without the fragment: `http://127.0.0.1:7420/` in direct mode. */
  url: string;
  /** base64url of the agent's X25519 public key (43 characters). */
  agentId: string;
  /**
   * base64url of the device's 16-byte id (22 characters). Absent in a short link: the id is then
   * derived from the device key (deviceIdOf in channel/identity.ts), as for every device added
   * since short links exist; present in the long links of devices with a random id.
   */
  deviceId?: string;
  /** base64url of the device's 32-byte Ed25519 seed (43 characters): the secret. */
  deviceSeed: string;
}

const KEY_CHARS = 43; // 32 bytes, unpadded base64url
const ID_CHARS = 22; // 16 bytes
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const FIX = 'copy the whole link again from `openmates remote-access devices add` (it is printed once), or add a new device';

const SHORT_BYTES = 1 + 32 + 32; // version, agent id, device seed
const SHORT_CHARS = Math.ceil((SHORT_BYTES * 8) / 5); // 104 base32 characters

/**
 * The short link, `http://127.0.0.1:7420/#<104 base32 characters>` (the version byte, the agent's
 * public key and the device seed), when `deviceId` is absent: its fragment is all in a QR code's
 * alphanumeric mode, so the code fits beside its instructions at 80x24. With a `deviceId`, the long
 * link `…/#v=1&a=<agent id>&d=<device id>&k=<device seed>` that every openmates has read.
 */
export function formatLink(link: DeviceLink): string {
  const base = new URL(link.url);
  base.hash = '';
  if (link.deviceId !== undefined) {
    const fragment = new URLSearchParams({ v: String(PROTOCOL_VERSION), a: link.agentId, d: link.deviceId, k: link.deviceSeed });
    return `${base.toString()}#${fragment.toString()}`;
  }
  const agent = fromBase64Url(link.agentId);
  const seed = fromBase64Url(link.deviceSeed);
  if (agent?.length !== 32 || seed?.length !== 32) throw new Error('formatLink: the agent id and the device seed must be base64url of 32 bytes');
  return `${base.toString()}#${toBase32(Uint8Array.of(PROTOCOL_VERSION, ...agent, ...seed))}`;
}

/** Parses a link; OpenmatesError('usage') naming what is wrong (never echoing the secret). */
export function parseLink(text: string): DeviceLink {
  // A link copied off a screen that wrapped it arrives in pieces: no whitespace belongs in a link.
  const compact = text.replace(/\s+/g, '');
  let url: URL;
  try {
    url = new URL(compact);
  } catch {
    throw malformed('it is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw malformed(`it starts with ${url.protocol}// instead of http:// or https://`);
  if (url.hash.length <= 1) throw malformed('the part after # (the keys) is missing');
  const fragment = url.hash.slice(1);
  url.hash = '';
  if (!fragment.includes('=')) return { url: url.toString(), ...parseShortFragment(fragment) };
  const fields = new URLSearchParams(fragment);
  const version = fields.get('v');
  if (version === null) throw new OpenmatesError('usage', 'The device link has no version (v=).', FIX);
  if (version !== String(PROTOCOL_VERSION)) throw otherVersion(version);
  const agentId = field(fields, 'a', 'agent id', KEY_CHARS);
  const deviceId = field(fields, 'd', 'device id', ID_CHARS);
  const deviceSeed = field(fields, 'k', 'device key', KEY_CHARS);
  return { url: url.toString(), agentId, deviceId, deviceSeed };
}

function parseShortFragment(fragment: string): Pick<DeviceLink, 'agentId' | 'deviceSeed'> {
  const bytes = fragment.length === SHORT_CHARS ? fromBase32(fragment) : undefined;
  if (bytes?.length !== SHORT_BYTES) throw malformed(`the keys after # are not ${SHORT_CHARS} base32 characters (A-Z, 2-7)`);
  if (bytes[0] !== PROTOCOL_VERSION) throw otherVersion(String(bytes[0]));
  return { agentId: toBase64Url(bytes.subarray(1, 33)), deviceSeed: toBase64Url(bytes.subarray(33)) };
}

function otherVersion(version: string): OpenmatesError {
  return new OpenmatesError('usage', `The device link is for remote protocol version ${version}; this openmates speaks version ${PROTOCOL_VERSION}.`, 'update openmates on the side that is older, or add a new device');
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
