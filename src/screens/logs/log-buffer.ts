import type { LogEntry } from '../../core/logs/types.js';

/** What one entry costs beyond its text and time: the entry object, its strings' headers, its slot. */
export const ENTRY_OVERHEAD_BYTES = 100;

/** About the bytes an entry keeps alive (one byte a character, as V8 stores ASCII text). */
export function entryBytes(entry: LogEntry): number {
  return ENTRY_OVERHEAD_BYTES + entry.text.length + (entry.time?.length ?? 0);
}

/**
 * The last log entries, oldest dropped first, within two bounds: at most `capacity` entries, and
 * at most `maxBytes` (see entryBytes) of them together, so long lines (a container can write up
 * to 64 KB in one) cannot make the buffer hold hundreds of megabytes; the newest entry is always
 * kept. Entries are addressed by a sequence number that only grows, so a paused view can keep its
 * place while new lines arrive and old ones are dropped.
 */
export class LogBuffer {
  private readonly items: (LogEntry | undefined)[];
  /** Sequence number of the oldest entry kept. */
  private first = 0;
  /** Sequence number the next entry gets. */
  private next = 0;
  private heldBytes = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number = Number.POSITIVE_INFINITY,
  ) {
    this.items = new Array<LogEntry | undefined>(capacity);
  }

  /** What the kept entries weigh together (entryBytes). */
  get bytes(): number {
    return this.heldBytes;
  }

  get oldest(): number {
    return this.first;
  }

  /** Sequence number of the newest entry (oldest - 1 when empty). */
  get newest(): number {
    return this.next - 1;
  }

  get size(): number {
    return this.next - this.first;
  }

  /** How many entries have ever been pushed. */
  get total(): number {
    return this.next;
  }

  push(entries: readonly LogEntry[]): void {
    // Of a batch larger than the buffer only the tail would survive: skip the rest.
    const skip = Math.max(0, entries.length - this.capacity);
    if (skip > 0) {
      this.next += skip;
      this.clear();
    }
    for (let i = skip; i < entries.length; i++) {
      if (this.next - this.first === this.capacity) this.dropOldest();
      const entry = entries[i]!;
      this.items[this.next % this.capacity] = entry;
      this.heldBytes += entryBytes(entry);
      this.next++;
      while (this.heldBytes > this.maxBytes && this.next - this.first > 1) this.dropOldest();
    }
  }

  clear(): void {
    this.items.fill(undefined);
    this.first = this.next;
    this.heldBytes = 0;
  }

  private dropOldest(): void {
    const slot = this.first % this.capacity;
    this.heldBytes -= entryBytes(this.items[slot]!);
    // Emptied, not just skipped: a dropped line must not stay reachable until its slot is reused.
    this.items[slot] = undefined;
    this.first++;
  }

  at(seq: number): LogEntry | undefined {
    return seq >= this.first && seq < this.next ? this.items[seq % this.capacity] : undefined;
  }

  /**
   * Up to `count` entries that pass `keep`, ending at `anchor` (inclusive) and going back,
   * returned oldest first with their sequence numbers.
   */
  window(anchor: number, count: number, keep: (entry: LogEntry) => boolean): { seq: number; entry: LogEntry }[] {
    const found: { seq: number; entry: LogEntry }[] = [];
    for (let seq = Math.min(anchor, this.newest); seq >= this.first && found.length < count; seq--) {
      const entry = this.items[seq % this.capacity]!;
      if (keep(entry)) found.push({ seq, entry });
    }
    return found.reverse();
  }

  /** The nearest entry before (`direction` -1) or after (+1) `from` that passes `keep`. */
  find(from: number, direction: 1 | -1, keep: (entry: LogEntry) => boolean): number | undefined {
    for (let seq = from + direction; seq >= this.first && seq < this.next; seq += direction) {
      if (keep(this.items[seq % this.capacity]!)) return seq;
    }
    return undefined;
  }

  /** `steps` entries that pass `keep` away from `from` (as far as there are), in `direction`. */
  step(from: number, steps: number, direction: 1 | -1, keep: (entry: LogEntry) => boolean): number {
    let at = Math.max(this.first, Math.min(from, this.newest));
    for (let i = 0; i < steps; i++) {
      const found = this.find(at, direction, keep);
      if (found === undefined) break;
      at = found;
    }
    return at;
  }

  count(keep: (entry: LogEntry) => boolean): number {
    let matches = 0;
    for (let seq = this.first; seq < this.next; seq++) if (keep(this.items[seq % this.capacity]!)) matches++;
    return matches;
  }
}
