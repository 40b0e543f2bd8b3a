/**
 * The known secrets' forms and the likely-secret shapes, found in one pass over the text (see
 * literal-scanner.ts for why not a RegExp). Where two literals start at one place, the longest
 * wins; a known secret wins over a likely shape.
 */
import type { KnownSecret } from './known-secret.js';
import { nextLikelySecret, type LikelyMatch } from './likely-secrets.js';
import { MIN_LITERAL, createLiteralScanner, type LiteralMatch } from './literal-scanner.js';
import { labelledForms } from './secret-forms.js';

export interface SecretMatcher {
  /** The longest known form (a stream holds back one less than this). */
  readonly longestForm: number;
  /** Distinct forms of known secrets. */
  readonly size: number;
  redact(text: string): string;
  /**
   * Redacts what can be sent of `text` now: everything before `cut`, and a match that straddles
   * `cut` as a whole. A match that ends at the end of `text` may go on in the next piece and is
   * kept back. Returns the redacted text and how many characters of `text` it covers.
   */
  redactPrefix(text: string, cut: number): { text: string; used: number };
  restore(text: string): string;
}

const RESTORABLE = /<SECRET:[^<>\s]{1,400}>/g;
/** A match at the end of a piece is kept back for the next one only up to this size. */
const MAX_MATCH_HOLD = 64 * 1024;

/** The ends of what was replaced, so a person can tell tokens apart; characters that would break a token become `*`. */
function hint(text: string): string {
  const safe = (part: string) => part.replace(/[<>\s:]/g, '*');
  return `${safe(text.slice(0, 2))}…${safe(text.slice(-2))}`;
}

function tokenName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

interface Match {
  index: number;
  length: number;
  token: string;
}

/** Values shorter than the scanner's window (8, MIN_SECRET_LENGTH) are not matched. */
export function buildMatcher(secrets: KnownSecret[]): SecretMatcher {
  const tokenOfForm = new Map<string, string>();
  const formOfToken = new Map<string, string>();
  for (const secret of secrets) {
    if (secret.value.length < MIN_LITERAL) continue;
    for (const { text: form, label } of labelledForms(secret.value)) {
      if (form.length < MIN_LITERAL || tokenOfForm.has(form)) continue;
      // Two forms with the same ends (a JSON escape in the middle) must not share a token: restore must give back the right one.
      const candidates = [tokenName(secret.name), `${tokenName(secret.name)}.${label}`];
      for (let n = 2; candidates.length < 6; n++) candidates.push(`${tokenName(secret.name)}.${label}${n}`);
      const token = candidates.map((name) => `<SECRET:${secret.source}:${name}:${hint(form)}>`).find((candidate) => !formOfToken.has(candidate));
      if (token === undefined) continue;
      tokenOfForm.set(form, token);
      formOfToken.set(token, form);
    }
  }
  const scanner = createLiteralScanner([...tokenOfForm.keys()]);
  let longestForm = 0;
  for (const form of tokenOfForm.keys()) longestForm = Math.max(longestForm, form.length);

  /** The matches in order; each kind's next one is kept until the text has passed it. */
  const matchesOf = (text: string) => {
    let literal: LiteralMatch | undefined | null = null;
    let likely: LikelyMatch | undefined | null = null;
    return (from: number): Match | undefined => {
      if (literal === null || (literal && literal.index < from)) literal = scanner.next(text, from);
      if (likely === null || (likely && likely.index < from)) likely = nextLikelySecret(text, from);
      if (literal && (!likely || literal.index <= likely.index)) return { index: literal.index, length: literal.literal.length, token: tokenOfForm.get(literal.literal)! };
      if (likely) return { index: likely.index, length: likely.text.length, token: `<POSSIBLE_SECRET:${likely.kind}:${hint(likely.text)}>` };
      return undefined;
    };
  };

  const redactPrefix = (text: string, cut: number, final: boolean) => {
    let out = '';
    let at = 0;
    let held = -1;
    const nextMatch = matchesOf(text);
    for (let match = nextMatch(0); match !== undefined && match.index < cut; match = nextMatch(at)) {
      const end = match.index + match.length;
      if (!final && end === text.length && match.length <= MAX_MATCH_HOLD) {
        held = match.index;
        break;
      }
      out += text.slice(at, match.index) + match.token;
      at = end;
    }
    let used = held === -1 ? Math.max(at, cut) : held;
    // Never split a surrogate pair between two pieces.
    if (used > at && used < text.length && isHighSurrogate(text.charCodeAt(used - 1))) used--;
    return { text: out + text.slice(at, used), used };
  };
  return {
    longestForm,
    size: tokenOfForm.size,
    redact: (text) => (text.length === 0 ? text : redactPrefix(text, text.length, true).text),
    redactPrefix: (text, cut) => redactPrefix(text, cut, false),
    restore: (text) => (text.includes('<SECRET:') ? text.replace(RESTORABLE, (token) => formOfToken.get(token) ?? token) : text),
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
