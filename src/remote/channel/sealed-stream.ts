import type { Sodium } from '../sodium.js';

/**
 * One direction of the channel: libsodium's secretstream (XChaCha20-Poly1305 with an internal
 * counter), so a replayed, dropped, reordered or altered frame fails to open. A direction's
 * first frame carries the 24-byte stream header before its first ciphertext.
 * Plaintext layout: 1 tag byte (PLAINTEXT_TAG), then the payload.
 */
export const PLAINTEXT_TAG = { json: 1, binary: 2, control: 3 } as const;
export type PlaintextTag = (typeof PLAINTEXT_TAG)[keyof typeof PLAINTEXT_TAG];

export interface Opened {
  tag: PlaintextTag;
  payload: Uint8Array;
  final: boolean;
}

export class SealingStream {
  private state: ReturnType<Sodium['crypto_secretstream_xchacha20poly1305_init_push']>['state'];
  private header: Uint8Array | undefined;

  constructor(private readonly sodium: Sodium, key: Uint8Array) {
    const init = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    this.state = init.state;
    this.header = init.header;
  }

  seal(tag: PlaintextTag, payload: Uint8Array, final = false): Uint8Array {
    const plain = new Uint8Array(1 + payload.byteLength);
    plain[0] = tag;
    plain.set(payload, 1);
    const sodium = this.sodium;
    const streamTag = final ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const cipher = sodium.crypto_secretstream_xchacha20poly1305_push(this.state, plain, null, streamTag);
    if (!this.header) return cipher;
    const first = new Uint8Array(this.header.byteLength + cipher.byteLength);
    first.set(this.header);
    first.set(cipher, this.header.byteLength);
    this.header = undefined;
    return first;
  }
}

export class OpeningStream {
  private state: ReturnType<Sodium['crypto_secretstream_xchacha20poly1305_init_pull']> | undefined;
  private finished = false;

  constructor(private readonly sodium: Sodium, private readonly key: Uint8Array) {}

  /** undefined when the frame does not open: tampered, replayed, reordered, cut, or sealed with another key. */
  open(frame: Uint8Array): Opened | undefined {
    if (this.finished) return undefined;
    const sodium = this.sodium;
    let cipher = frame;
    if (!this.state) {
      const headerBytes = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
      if (frame.byteLength < headerBytes) return undefined;
      try {
        this.state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(frame.slice(0, headerBytes), this.key);
      } catch {
        return undefined;
      }
      cipher = frame.subarray(headerBytes);
    }
    if (cipher.byteLength < sodium.crypto_secretstream_xchacha20poly1305_ABYTES + 1) return undefined;
    let result: { message: Uint8Array; tag: number } | false;
    try {
      result = sodium.crypto_secretstream_xchacha20poly1305_pull(this.state, cipher, null);
    } catch {
      return undefined;
    }
    if (!result) return undefined;
    const tag = result.message[0];
    if (tag !== PLAINTEXT_TAG.json && tag !== PLAINTEXT_TAG.binary && tag !== PLAINTEXT_TAG.control) return undefined;
    const final = result.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (final) this.finished = true;
    return { tag, payload: result.message.subarray(1), final };
  }
}
