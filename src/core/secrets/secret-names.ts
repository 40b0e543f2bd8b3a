/** Environment variables whose names say they hold a secret: `*_KEY`, `*_SECRET`, `*_TOKEN`, `*_PASSWORD`, `*_PAT` (and the bare names). */
const SECRET_ENV_NAME = /(?:^|_)(?:KEY|SECRET|TOKEN|PASSWORD|PAT)$/i;

export function isSecretEnvName(name: string): boolean {
  return SECRET_ENV_NAME.test(name);
}

/**
 * Values shorter than this are not treated as secrets: replacing every `admin`, `1234` or `true`
 * in all output would wreck ordinary text, and a value that short is guessed anyway. (A real key,
 * token or generated password is far longer.)
 */
export const MIN_SECRET_LENGTH = 8;

/** What a `.env` value in a shared root looks like when it is configuration, not a secret. */
const CONFIG_LIKE = [
  /^(?:\d+(?:\.\d+)*|true|false|yes|no|on|off|null|none)$/i,
  /^[a-z]+$/, // one lower-case word: production, localhost, postgres
  /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i, // a URL without credentials
  /^[\w.-]+:\d+$/, // host:port
  /^\.{0,2}\/[\w./-]*$/, // a path
];

/**
 * Whether a value from a `.env` file counts as a secret: long enough, and either its name says so
 * or it does not look like plain configuration.
 */
export function isLikelySecretValue(name: string, value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH) return false;
  if (isSecretEnvName(name)) return true;
  return !CONFIG_LIKE.some((pattern) => pattern.test(value));
}
