/**
 * Chunks received for one call, handed to a reader in order. `onConsumed` runs as the reader
 * takes each one (that is when credit goes back to the sender). Holds what the sender's credit
 * window allows, no more: `buffered` lets the owner check the sender keeps to it.
 */
export class ChunkQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private waiter: { resolve(result: IteratorResult<Uint8Array>): void; reject(error: Error): void } | undefined;
  private ended = false;
  private failure: Error | undefined;
  private bufferedBytes = 0;
  private taken = false;

  constructor(private readonly onConsumed: (bytes: number) => void) {}

  get buffered(): number {
    return this.bufferedBytes;
  }

  push(chunk: Uint8Array): void {
    if (this.ended || this.failure) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      this.onConsumed(chunk.byteLength);
      resolve({ value: chunk, done: false });
    } else {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.byteLength;
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiter && this.chunks.length === 0) {
      this.waiter.resolve({ value: undefined, done: true });
      this.waiter = undefined;
    }
  }

  fail(error: Error): void {
    if (this.ended && this.chunks.length === 0) return;
    this.failure ??= error;
    this.waiter?.reject(error);
    this.waiter = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.taken) throw new Error('the chunks of a call can be read once');
    this.taken = true;
    return {
      next: () => {
        const chunk = this.chunks.shift();
        if (chunk) {
          this.bufferedBytes -= chunk.byteLength;
          this.onConsumed(chunk.byteLength);
          return Promise.resolve({ value: chunk, done: false });
        }
        if (this.failure) return Promise.reject(this.failure);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiter = { resolve, reject };
        });
      },
      return: () => {
        this.ended = true;
        this.chunks.length = 0;
        this.bufferedBytes = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
