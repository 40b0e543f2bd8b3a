/** Pair tokens: 6 characters of an alphabet without look-alikes (no 0/O, 1/I, 5/S, 2/Z). */
export const PAIR_TOKEN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXY3468';
export const PAIR_TOKEN_LENGTH = 6;
const TOKEN_PATTERN = new RegExp(`^[${PAIR_TOKEN_ALPHABET}]{${PAIR_TOKEN_LENGTH}}$`);

/** Tokens are case-insensitive; the server and the key derivation use the upper-case form. */
export function normalizeToken(token: string): string {
  return token.trim().toUpperCase();
}

export function isPairToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export const PIN_LENGTH = 6;
const PIN_PATTERN = /^[A-Z0-9]{6}$/;

export function normalizePin(pin: string): string {
  // The web app shows PINs as "123 456"; spaces and dashes typed along are not part of it.
  return pin.replace(/[\s-]/g, '').toUpperCase();
}

export function isPin(pin: string): boolean {
  return PIN_PATTERN.test(pin);
}

/** Whether one typed character can be part of a PIN (letters and digits; case does not matter). */
export function isPinCharacter(char: string): boolean {
  return /^[A-Za-z0-9]$/.test(char);
}
