import { createHash, randomInt } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no l, o, 0, 1: easy to read aloud and type
const APPROVAL_ID_LENGTH = 6;

/** Short and typeable; `taken` keeps it unique among the approvals the agent remembers. */
export function newApprovalId(taken: (id: string) => boolean): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < APPROVAL_ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
    if (!taken(id)) return id;
  }
}

/** JSON with object keys sorted at every level, so the same args always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/**
 * What a decision is bound to: sha256 over the op, its canonical args and the upload's own
 * sha256 (empty without one). A decision carrying another hash approves nothing.
 */
export function requestHash(op: string, args: unknown, contentSha256 = ''): string {
  return createHash('sha256').update(`openmates-approval-v1\n${op}\n${canonicalJson(args)}\n${contentSha256}`).digest('hex');
}
