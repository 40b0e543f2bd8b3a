/** What a read from offset `from` gets: bytes from there, nothing yet, or how many bytes before the oldest kept one were lost. */
export type RingRead = { seq: number; bytes: Buffer } | { missing: number; oldest: number } | { ahead: number };

/**
 * A terminal's scrollback: the newest `capacity` bytes of its output, each byte numbered by its
 * offset in the whole output (the first byte is 0). A reader that has `after` bytes asks for
 * those after them; when the oldest of those were already overwritten it learns how many.
 */
export class ByteRing {
  private readonly store: Buffer;
  private total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`A ring needs a positive capacity, not ${capacity}.`);
    this.store = Buffer.alloc(capacity);
  }

  /** The offset after the newest byte: how many bytes were ever written. */
  get end(): number {
    return this.total;
  }

  /** The offset of the oldest byte still kept. */
  get start(): number {
    return Math.max(0, this.total - this.capacity);
  }

  write(bytes: Uint8Array): void {
    const kept = bytes.byteLength > this.capacity ? bytes.subarray(bytes.byteLength - this.capacity) : bytes;
    this.total += bytes.byteLength - kept.byteLength;
    let at = this.total % this.capacity;
    let rest = kept;
    while (rest.byteLength > 0) {
      const room = Math.min(this.capacity - at, rest.byteLength);
      this.store.set(rest.subarray(0, room), at);
      rest = rest.subarray(room);
      at = 0;
      this.total += room;
    }
  }

  /** A copy of at most `maxBytes` kept bytes from offset `from` (an empty one when `from` is the end). */
  read(from: number, maxBytes: number): RingRead {
    if (from > this.total) return { ahead: from - this.total };
    if (from < this.start) return { missing: this.start - from, oldest: this.start };
    const length = Math.min(maxBytes, this.total - from);
    const out = Buffer.allocUnsafe(length);
    let at = from % this.capacity;
    let copied = 0;
    while (copied < length) {
      const piece = Math.min(this.capacity - at, length - copied);
      this.store.copy(out, copied, at, at + piece);
      copied += piece;
      at = 0;
    }
    return { seq: from, bytes: out };
  }
}
