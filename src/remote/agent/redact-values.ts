import { OpenmatesError, isOpenmatesError, messageOf } from '../../core/errors.js';

/** Every string in a JSON-like value (results, events) through `redact`; bytes and keys stay. */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]));
}

/** An error as a device without raw secrets may see it: message, hint and details redacted (the same error when nothing changed). */
export function redactError(error: unknown, redact: (text: string) => string): unknown {
  if (isOpenmatesError(error)) {
    const message = redact(error.message);
    const hint = error.hint === undefined ? undefined : redact(error.hint);
    const details = error.details.map(redact);
    if (message === error.message && hint === error.hint && details.every((line, i) => line === error.details[i])) return error;
    return new OpenmatesError(error.kind, message, hint, details);
  }
  const message = messageOf(error);
  const redacted = redact(message);
  return redacted === message ? error : new Error(redacted);
}
