/** One challenge of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate header into its challenges. Values may be quoted and hold commas
 * (scope="repository:a/b:pull,push"), and one header may carry several challenges.
 */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  const token = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)/y;
  let index = 0;
  let current: AuthChallenge | undefined;
  while (index < header.length) {
    token.lastIndex = index;
    const name = token.exec(header);
    if (!name) {
      index += 1;
      continue;
    }
    index = token.lastIndex;
    const afterName = header.slice(index).match(/^\s*=\s*/);
    if (afterName && current) {
      index += afterName[0].length;
      let value = '';
      if (header[index] === '"') {
        index += 1;
        while (index < header.length && header[index] !== '"') {
          if (header[index] === '\\' && index + 1 < header.length) index += 1;
          value += header[index];
          index += 1;
        }
        index += 1;
      } else {
        const end = header.slice(index).search(/[\s,]/);
        value = end === -1 ? header.slice(index) : header.slice(index, index + end);
        index += value.length;
      }
      current.params[name[1]!.toLowerCase()] = value;
    } else {
      current = { scheme: name[1]!.toLowerCase(), params: {} };
      challenges.push(current);
    }
    const separator = header.slice(index).match(/^\s*,?/);
    index += separator ? Math.max(1, separator[0].length) : 1;
  }
  return challenges;
}

/** The next page's URL from a `Link: </v2/…?last=x&n=100>; rel="next"` header, resolved against `base`. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>(.*)/.exec(part.trim());
    if (match && /;\s*rel="?next"?/i.test(match[2]!)) return new URL(match[1]!, base).toString();
  }
  return undefined;
}
