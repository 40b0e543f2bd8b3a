import type sodiumModule from 'libsodium-wrappers';

export type Sodium = typeof sodiumModule;

/**
 * libsodium after its WebAssembly has loaded; every crypto call goes through this. Imported on the
 * first call (0.4 MB of JavaScript): `remote-access status` with the agent running needs none of it.
 */
export async function loadSodium(): Promise<Sodium> {
  const { default: sodium } = await import('libsodium-wrappers');
  await sodium.ready;
  return sodium;
}

/** Keys, ids and seeds travel as unpadded base64url (RFC 4648 §5), the same in links and messages. */
export function toBase64Url(sodium: Sodium, bytes: Uint8Array): string {
  return sodium.to_base64(bytes, sodium.base64_variants.URLSAFE_NO_PADDING);
}

/** undefined when `text` is not unpadded base64url of exactly `length` bytes. */
export function fromBase64Url(sodium: Sodium, text: string, length: number): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const bytes = sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
    return bytes.length === length ? bytes : undefined;
  } catch {
    return undefined;
  }
}
