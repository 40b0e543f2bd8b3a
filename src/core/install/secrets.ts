import { randomBytes, randomInt } from 'node:crypto';
import type { StackSecret } from '../stack/schema.js';

/** A fresh value for a stack secret: hex of N random bytes, or digit groups like 1234-5678-9012. */
export function generateSecret(secret: StackSecret): string {
  if (secret.hex !== undefined) return randomBytes(secret.hex).toString('hex');
  return (secret.digits ?? []).map((size) => Array.from({ length: size }, () => randomInt(10)).join('')).join('-');
}
