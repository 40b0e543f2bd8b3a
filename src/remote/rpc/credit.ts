import { LIMITS } from '../protocol/limits.js';

/**
 * The sending side of one call's credit window: a chunk may go while fewer than `windowBytes`
 * of the call's chunks are unacknowledged (one chunk always may, so progress never stalls).
 */
export class CreditGate {
  private unacked = 0;
  private waiters: { bytes: number; resolve(): void; reject(error: Error): void }[] = [];
  private failure: Error | undefined;

  constructor(private readonly windowBytes: number = LIMITS.creditWindowBytes) {}

  get unacknowledged(): number {
    return this.unacked;
  }

  reserve(bytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.unacked += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiters.push({ bytes, resolve, reject }));
  }

  grant(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
    while (this.waiters.length > 0 && this.fits(this.waiters[0]!.bytes)) {
      const waiter = this.waiters.shift()!;
      this.unacked += waiter.bytes;
      waiter.resolve();
    }
  }

  fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }

  private fits(bytes: number): boolean {
    return this.unacked === 0 || this.unacked + bytes <= this.windowBytes;
  }
}

/** The receiving side: counts consumed bytes and says when to ack (every `everyBytes`). */
export class AckCounter {
  private since = 0;

  constructor(private readonly everyBytes: number = LIMITS.ackEveryBytes) {}

  /** The byte count to ack now, or undefined. */
  consumed(bytes: number): number | undefined {
    this.since += bytes;
    if (this.since < this.everyBytes) return undefined;
    const ack = this.since;
    this.since = 0;
    return ack;
  }
}
