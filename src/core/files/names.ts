/** File names are bytes; the ones that are not UTF-8 are shown escaped and marked. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function isUtf8Name(raw: Uint8Array): boolean {
  try {
    strictUtf8.decode(raw);
    return true;
  } catch {
    return false;
  }
}

/** Printable ASCII stays; every other byte and the backslash become `\xNN`. */
export function escapedName(raw: Uint8Array): string {
  let text = '';
  for (const byte of raw) text += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return text;
}

export function displayName(raw: Uint8Array): { name: string; escaped?: true } {
  return isUtf8Name(raw) ? { name: strictUtf8.decode(raw) } : { name: escapedName(raw), escaped: true };
}
