/**
 * Files that hold secrets. `.env*` files are read masked (names with the last 4 characters of each
 * value); the others (private keys, SSH, cloud and git credentials, password stores) are refused
 * for reading, copying out and searching their content.
 */
import { basename, sep } from 'node:path';

export type Sensitivity = { kind: 'env' } | { kind: 'secret'; reason: string };

const KEY_NAMES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk', 'identity']);
const KEY_EXTENSIONS = ['.pem', '.key', '.p12', '.pfx', '.ppk', '.jks', '.keystore'];
const SECRET_NAMES: Record<string, string> = {
  '.git-credentials': 'it holds git credentials',
  '.netrc': 'it holds login credentials (.netrc)',
  '_netrc': 'it holds login credentials (.netrc)',
  '.pypirc': 'it holds package index credentials (.pypirc)',
  '.pgpass': 'it holds database passwords (.pgpass)',
};
/** A folder anywhere on the path whose every file is a secret. */
const SECRET_FOLDERS: Record<string, string> = {
  '.ssh': 'it is in an SSH folder (keys and their configuration)',
  '.gnupg': 'it is in a GnuPG folder (private keys)',
  '.password-store': 'it is in a password store',
  '.azure': 'it holds Azure credentials',
};
/** Paths ending in these parts. */
const SECRET_SUFFIXES: { parts: string[]; reason: string }[] = [
  { parts: ['.aws', 'credentials'], reason: 'it holds AWS credentials' },
  { parts: ['.aws', 'config'], reason: 'it holds AWS configuration with credentials' },
  { parts: ['.docker', 'config.json'], reason: 'it holds Docker registry credentials' },
  { parts: ['.kube', 'config'], reason: 'it holds Kubernetes credentials' },
  { parts: ['.config', 'gh', 'hosts.yml'], reason: 'it holds GitHub CLI tokens' },
];

export function sensitivityOfPath(path: string): Sensitivity | undefined {
  const parts = path.split(sep).filter(Boolean);
  const name = basename(path);
  for (const part of parts) {
    const folder = SECRET_FOLDERS[part];
    if (folder) return { kind: 'secret', reason: folder };
  }
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === '.config' && parts[i + 1] === 'gcloud') return { kind: 'secret', reason: 'it holds Google Cloud credentials' };
  }
  for (const suffix of SECRET_SUFFIXES) {
    const tail = parts.slice(-suffix.parts.length);
    if (tail.length === suffix.parts.length && tail.every((part, i) => part === suffix.parts[i])) return { kind: 'secret', reason: suffix.reason };
  }
  const named = SECRET_NAMES[name];
  if (named) return { kind: 'secret', reason: named };
  if (KEY_NAMES.has(name)) return { kind: 'secret', reason: 'it is a private key' };
  const lower = name.toLowerCase();
  if (KEY_EXTENSIONS.some((extension) => lower.endsWith(extension))) return { kind: 'secret', reason: 'it is a private key or certificate store' };
  if (lower.endsWith('.kdbx') || lower.endsWith('.kdb')) return { kind: 'secret', reason: 'it is a password database' };
  if (name.startsWith('.env')) return { kind: 'env' };
  return undefined;
}

const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
const NPM_TOKEN = /(_authToken|_auth|_password)\s*=/;

/** What the first bytes of a file give away: a PEM private key, or (for .npmrc) a registry token. */
export function sensitivityOfContent(path: string, head: Uint8Array): Sensitivity | undefined {
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  if (PRIVATE_KEY_PEM.test(text)) return { kind: 'secret', reason: 'it contains a private key' };
  if (basename(path) === '.npmrc' && NPM_TOKEN.test(text)) return { kind: 'secret', reason: 'it holds npm registry tokens' };
  return undefined;
}

/** Bytes of a file read to decide on its content (also the binary check's window). */
export const HEAD_BYTES = 8192;
