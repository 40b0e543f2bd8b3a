/**
 * The texts a secret can turn up as in output: itself, JSON-escaped, URL-encoded, and base64
 * (standard and url-safe). For base64 the value's bytes are encoded at each of the three offsets
 * a byte can sit at inside a longer blob, keeping only the characters made of the value's bits
 * alone, so `echo "$PASSWORD" | base64` or the secret inside a base64 JSON blob is found too
 * (at most one character's worth of bits on each side stays visible).
 */
export function secretForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const json = JSON.stringify(value).slice(1, -1);
  const url = encodeURIComponent(value);
  const forms = new Set<string>([
    value,
    json,
    // Other encoders' habits: `\/` for `/`, `\uXXXX` for anything not ASCII, `+` for spaces, `!'()*` escaped too.
    json.replace(/\//g, '\\/'),
    json.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
    url,
    url.replace(/%20/g, '+'),
    url.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`),
  ]);
  for (const offset of [0, 1, 2] as const) {
    const inner = base64Inner(bytes, offset);
    forms.add(inner);
    forms.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((form) => form.length > 0);
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
