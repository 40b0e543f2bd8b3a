/** Reading a health URL's JSON answer against what the stack file expects of it. */

type JsonScalar = string | number | boolean;
export type JsonFields = Record<string, JsonScalar | JsonScalar[]>;

/** Names and states in an answer are shown to the user: keep them short and printable. */
const MAX_SHOWN_LENGTH = 60;

/** The value at a dotted path ("status", "checks.database.status"), or undefined. */
export function fieldAt(document: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), document);
}

/** Why the answer does not have the fields, e.g. 'status is "unhealthy", expected "healthy" or "degraded"'; undefined when it does. */
export function mismatch(document: unknown, expected: JsonFields): string | undefined {
  for (const [field, wanted] of Object.entries(expected)) {
    const allowed = Array.isArray(wanted) ? wanted : [wanted];
    const actual = fieldAt(document, field);
    if (!allowed.some((value) => value === actual)) {
      return `${field} is ${JSON.stringify(actual ?? null)}, expected ${allowed.map((value) => JSON.stringify(value)).join(' or ')}`;
    }
  }
  return undefined;
}

/**
 * What a degraded answer says is wrong: under each path, an object of name → { status }; every
 * entry whose status is not one of `healthy` becomes "path.name status" ("providers.openai
 * unhealthy"). Only names and status words are taken, never other fields (errors may hold secrets).
 */
export function degradedReasons(document: unknown, paths: readonly string[], healthy: readonly JsonScalar[]): string[] {
  const reasons: string[] = [];
  for (const path of paths) {
    const entries = fieldAt(document, path);
    if (!entries || typeof entries !== 'object' || Array.isArray(entries)) continue;
    for (const [name, entry] of Object.entries(entries as Record<string, unknown>)) {
      const status = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).status : entry;
      if (healthy.some((value) => value === status)) continue;
      reasons.push(`${shown(`${path}.${name}`)} ${typeof status === 'string' || typeof status === 'number' || typeof status === 'boolean' ? shown(String(status)) : 'unknown'}`);
    }
  }
  return reasons;
}

function shown(text: string): string {
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > MAX_SHOWN_LENGTH ? `${printable.slice(0, MAX_SHOWN_LENGTH - 1)}…` : printable;
}
