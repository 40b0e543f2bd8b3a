/**
 * The texts a secret can turn up as in output: itself, JSON-escaped, URL-encoded, and base64
 * (standard and url-safe). For base64 the value's bytes are encoded at each of the three offsets
 * a byte can sit at inside a longer blob, keeping only the characters made of the value's bits
 * alone, so `echo "$PASSWORD" | base64` or the secret inside a base64 JSON blob is found too
 * (at most one character's worth of bits on each side stays visible).
 */
export interface SecretForm {
  text: string;
  /** Which encoding: told apart in a token when two forms of one value would get the same token. */
  label: string;
}

export function secretForms(value: string): string[] {
  return labelledForms(value).map((form) => form.text);
}

export function labelledForms(value: string): SecretForm[] {
  const bytes = Buffer.from(value, 'utf8');
  const json = JSON.stringify(value).slice(1, -1);
  const url = encodeURIComponent(value);
  const forms: SecretForm[] = [
    { text: value, label: 'plain' },
    { text: json, label: 'json' },
    // Other encoders' habits: `\/` for `/`, `\uXXXX` for anything not ASCII, `+` for spaces, `!'()*` escaped too.
    { text: json.replace(/\//g, '\\/'), label: 'json' },
    { text: json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`), label: 'json' },
    { text: url, label: 'url' },
    { text: url.replace(/%20/g, '+'), label: 'url' },
    { text: url.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`), label: 'url' },
  ];
  for (const offset of [0, 1, 2] as const) {
    const inner = base64Inner(bytes, offset);
    forms.push({ text: inner, label: 'base64' }, { text: inner.replace(/\+/g, '-').replace(/\//g, '_'), label: 'base64url' });
  }
  const seen = new Set<string>();
  return forms.filter((form) => form.text.length > 0 && !seen.has(form.text) && seen.add(form.text));
}

/** Characters 0..2 of the encoding carry bits of the bytes before the value at offsets 0, 1, 2. */
const PREFIX_CHARS = [0, 2, 3] as const;

function base64Inner(bytes: Buffer, offset: 0 | 1 | 2): string {
  const padded = offset === 0 ? bytes : Buffer.concat([Buffer.alloc(offset), bytes]);
  const text = padded.toString('base64');
  // The last character may hold bits of whatever follows the value; only whole 6-bit groups of it count.
  const whole = Math.floor((padded.length * 8) / 6);
  return text.slice(PREFIX_CHARS[offset], whole);
}
