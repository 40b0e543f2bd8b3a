import { createDecipheriv, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export const PAIR_KDF_ITERATIONS = 100_000;
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** WebCrypto's AES-GCM appends a 128-bit tag to the ciphertext. */
const TAG_BYTES = 16;

/** PBKDF2-HMAC-SHA256(password = PIN, salt = TOKEN, 100000 iterations) -> a 256-bit AES key, as the web app derives it. */
export async function derivePairKey(pin: string, token: string): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(pin, 'utf8'), Buffer.from(token.toUpperCase(), 'utf8'), PAIR_KDF_ITERATIONS, KEY_BYTES, 'sha256');
}

/** Why a bundle could not be opened; never carries any of the bundle's bytes. */
export class BundleDecryptError extends Error {
  constructor(readonly reason: 'bad-iv' | 'too-short' | 'authentication') {
    super(
      reason === 'bad-iv'
        ? 'the IV is not 12 bytes'
        : reason === 'too-short'
          ? 'the encrypted bundle is shorter than its authentication tag'
          : 'the bundle does not decrypt with this PIN (authentication failed)',
    );
    this.name = 'BundleDecryptError';
  }
}

/** AES-256-GCM over base64 ciphertext with the tag appended (WebCrypto layout). */
export async function decryptPairBundle(encryptedBase64: string, ivBase64: string, pin: string, token: string): Promise<Buffer> {
  const iv = Buffer.from(ivBase64, 'base64');
  if (iv.length !== IV_BYTES) throw new BundleDecryptError('bad-iv');
  const sealed = Buffer.from(encryptedBase64, 'base64');
  if (sealed.length < TAG_BYTES) throw new BundleDecryptError('too-short');
  const key = await derivePairKey(pin, token);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new BundleDecryptError('authentication');
  } finally {
    key.fill(0);
  }
}
