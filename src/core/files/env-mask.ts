/**
 * A .env file as names with the last 4 characters of each value: `OPENAI_API_KEY=…39d9`.
 * Comments and blank lines stay; a value of fewer than 12 characters shows none of them (its last
 * 4 would be a third of it); a line that is not `NAME=value` is hidden whole.
 */
const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*)$/;
const SHOWN_TAIL = 4;
const MIN_LENGTH_FOR_TAIL = 12;

function unquoted(value: string): { value: string; openQuote?: string } {
  const trimmed = value.trim();
  const quote = trimmed[0];
  if (quote === '"' || quote === "'" || quote === '`') {
    const end = trimmed.indexOf(quote, 1);
    if (end === -1) return { value: trimmed.slice(1), openQuote: quote };
    return { value: trimmed.slice(1, end) };
  }
  return { value: trimmed.replace(/\s+#.*$/, '') };
}

export function maskValue(value: string): string {
  if (value.length === 0) return '';
  return value.length >= MIN_LENGTH_FOR_TAIL ? `…${value.slice(-SHOWN_TAIL)}` : '…';
}

export function maskEnvText(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let inQuote: { quote: string; name: string; prefix: string; parts: string[] } | undefined;
  for (const line of lines) {
    if (inQuote) {
      const end = line.indexOf(inQuote.quote);
      if (end === -1) {
        inQuote.parts.push(line);
        continue;
      }
      inQuote.parts.push(line.slice(0, end));
      out.push(`${inQuote.prefix}${maskValue(inQuote.parts.join('\n'))}`);
      inQuote = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      out.push(line);
      continue;
    }
    const match = ASSIGNMENT.exec(line.replace(/\r$/, ''));
    if (!match) {
      out.push('…');
      continue;
    }
    const [, lead, name, equals, rawValue] = match as unknown as [string, string, string, string, string];
    const prefix = `${lead}${name}${equals}`;
    const { value, openQuote } = unquoted(rawValue);
    if (openQuote) {
      inQuote = { quote: openQuote, name, prefix, parts: [value] };
      continue;
    }
    out.push(`${prefix}${maskValue(value)}`);
  }
  if (inQuote) out.push(`${inQuote.prefix}${maskValue(inQuote.parts.join('\n'))}`);
  return out.join('\n');
}
