/**
 * Shapes of secrets nobody told us about: common API keys, PEM private key blocks, JWTs. Each
 * becomes `<POSSIBLE_SECRET:kind:ab…yz>`. Kept strict (a fixed prefix and a length, never preceded by
 * a key character) so ordinary text is left alone. Each shape starts with one of a few two-character prefixes, so the scanner
 * only tries the shapes where such a pair stands (a combined RegExp of them cost ~5 ms per MB).
 */
interface LikelyShape {
  kind: string;
  /** The first two characters every match starts with. */
  starts: string[];
  /** Matched at the candidate position only (sticky); may look behind it. */
  pattern: RegExp;
}

const shape = (kind: string, starts: string[], source: string): LikelyShape => ({ kind, starts, pattern: new RegExp(source, 'y') });

export const LIKELY_SECRETS: LikelyShape[] = [
  shape('private-key', ['--'], String.raw`(?<![A-Za-z0-9_-])-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,16384}?-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----`),
  shape('jwt', ['ey'], String.raw`(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`),
  shape('github-token', ['gh', 'gi'], String.raw`(?<![A-Za-z0-9_-])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`),
  shape('gitlab-token', ['gl'], String.raw`(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}`),
  shape('aws-access-key', ['AK', 'AS'], String.raw`(?<![A-Za-z0-9_-])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9_-])`),
  shape('slack-token', ['xo'], String.raw`(?<![A-Za-z0-9_-])xox[abposr]-[A-Za-z0-9-]{10,}`),
  shape('stripe-key', ['sk', 'rk', 'pk'], String.raw`(?<![A-Za-z0-9_-])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}`),
  shape('google-api-key', ['AI'], String.raw`(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}`),
  shape('npm-token', ['np'], String.raw`(?<![A-Za-z0-9_-])npm_[A-Za-z0-9]{36}`),
  shape('api-key', ['sk'], String.raw`(?<![A-Za-z0-9_-])sk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{20,}`),
];

const pairKey = (a: number, b: number) => (a << 7) | b;
const SHAPES_BY_PAIR = new Map<number, LikelyShape[]>();
const PAIR_TABLE = new Uint8Array(1 << 14);
for (const likely of LIKELY_SECRETS) {
  for (const start of likely.starts) {
    const key = pairKey(start.charCodeAt(0), start.charCodeAt(1));
    PAIR_TABLE[key] = 1;
    SHAPES_BY_PAIR.set(key, [...(SHAPES_BY_PAIR.get(key) ?? []), likely]);
  }
}

/** Whether two character codes can start a likely secret (one table look-up). */
function mayStartLikely(a: number, b: number): boolean {
  return a < 128 && b < 128 && PAIR_TABLE[pairKey(a, b)] === 1;
}

/** A likely secret starting exactly at `at`: its kind and text. */
function likelySecretAt(text: string, at: number): { kind: string; text: string } | undefined {
  if (!mayStartLikely(text.charCodeAt(at), text.charCodeAt(at + 1))) return undefined;
  for (const likely of SHAPES_BY_PAIR.get(pairKey(text.charCodeAt(at), text.charCodeAt(at + 1)))!) {
    likely.pattern.lastIndex = at;
    const match = likely.pattern.exec(text);
    if (match) return { kind: likely.kind, text: match[0] };
  }
  return undefined;
}

/** Characters of key bodies: every shape starts with a run of at least RUN of them (a PEM block with `-----BEGIN`). */
const KEY_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-') KEY_CHAR[c.charCodeAt(0)] = 1;
const RUN = 10;
const isKeyChar = (code: number) => code < 128 && KEY_CHAR[code] === 1;

export interface LikelyMatch {
  index: number;
  kind: string;
  text: string;
}

/**
 * The leftmost likely secret at or after `from`. Instead of trying every position it looks for
 * runs of RUN+ key characters (every shape starts with one) by jumping RUN characters at a time
 * and looking around; only at the start of such a run are the shapes tried.
 */
export function nextLikelySecret(text: string, from: number): LikelyMatch | undefined {
  const length = text.length;
  for (let end = from + RUN - 1; end < length; ) {
    if (!isKeyChar(text.charCodeAt(end))) {
      end += RUN;
      continue;
    }
    // The run holding `end`: back to its start, then forward only as far as needed to tell whether it is RUN long.
    let start = end;
    while (start > from && isKeyChar(text.charCodeAt(start - 1))) start--;
    let last = end;
    while (last + 1 < length && isKeyChar(text.charCodeAt(last + 1)) && last - start + 1 < RUN) last++;
    if (last - start + 1 < RUN) {
      end = last + 1 + RUN;
      continue;
    }
    while (last + 1 < length && isKeyChar(text.charCodeAt(last + 1))) last++;
    // Every shape refuses a key character before it, so a match can only begin where the run does.
    const found = likelySecretAt(text, start);
    if (found) return { index: start, ...found };
    end = last + 1 + RUN;
  }
  return undefined;
}

/** Where an unfinished PEM private key block starts (a stream holds it back until its end comes). */
export function openPrivateKeyAt(text: string): number {
  const begin = text.lastIndexOf('-----BEGIN ');
  if (begin === -1) return -1;
  const line = text.slice(begin, begin + 80);
  if (!/^-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY/.test(line) && line.length >= 60) return -1;
  return text.indexOf('-----END ', begin) === -1 ? begin : -1;
}
