import { openPrivateKeyAt } from './likely-secrets.js';
import type { SecretMatcher } from './secret-matcher.js';
import type { StreamRedactor } from './redactor.js';

/** Held back at least this much, so a likely secret (an API key, a JWT) split across pieces is whole when it is matched. */
const MIN_HOLD = 256;
/** An unfinished PEM private key block is held back until its end, up to this size; past it the text goes out (redacted as far as it can be). */
const MAX_PEM_HOLD = 64 * 1024;

/**
 * Output in pieces: each push redacts and returns what is safe to send, keeping back the tail
 * that could be the start of a secret (the longest known form − 1 characters, at least MIN_HOLD).
 */
export function createStreamRedactor(matcher: () => SecretMatcher): StreamRedactor {
  let pending = '';
  return {
    push(text) {
      const current = matcher();
      const buffer = pending + text;
      let cut = buffer.length - Math.max(current.longestForm - 1, MIN_HOLD);
      const openKey = openPrivateKeyAt(buffer);
      if (openKey !== -1 && buffer.length - openKey <= MAX_PEM_HOLD) cut = Math.min(cut, openKey);
      if (cut <= 0) {
        pending = buffer;
        return '';
      }
      const { text: out, used } = current.redactPrefix(buffer, cut);
      pending = buffer.slice(used);
      return out;
    },
    end() {
      const out = matcher().redact(pending);
      pending = '';
      return out;
    },
    held: () => pending.length,
  };
}
