/** What the approving device encrypts for us: enough to call /v1/auth/login and unlock the account. */
export interface PairBundle {
  lookup_hash: string;
  hashed_email: string;
  user_email_salt: string;
  master_key_exported: string;
}

const FIELDS = ['lookup_hash', 'hashed_email', 'user_email_salt', 'master_key_exported'] as const;

/**
 * Reads the decrypted bundle. Errors name the missing field only: a parse error of the raw text
 * would quote it, and it is secret.
 */
export function parsePairBundle(plaintext: Buffer): PairBundle {
  let value: unknown;
  try {
    value = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new Error('the decrypted bundle is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new Error('the decrypted bundle is not a JSON object');
  const record = value as Record<string, unknown>;
  for (const field of FIELDS) {
    if (typeof record[field] !== 'string' || record[field] === '') throw new Error(`the decrypted bundle has no ${field}`);
  }
  return {
    lookup_hash: record.lookup_hash as string,
    hashed_email: record.hashed_email as string,
    user_email_salt: record.user_email_salt as string,
    master_key_exported: record.master_key_exported as string,
  };
}
