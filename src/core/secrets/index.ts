/** Secrets that never reach an operator device: known values and likely shapes become tokens, tokens sent back become values. */
export type { Redactor, StreamRedactor } from './redactor.js';
export type { KnownSecret, SecretSource } from './known-secret.js';
export { createSecretRedactor, createStaticRedactor, type SecretRedactor, type SecretRedactorOptions } from './secret-redactor.js';
export { isSecretEnvName, MIN_SECRET_LENGTH } from './secret-names.js';
