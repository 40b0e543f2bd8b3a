export interface ResumeBufferLimits {
  maxItems: number;
  maxBytes: number;
}

export interface Numbered<T> {
  seq: number;
  item: T;
}

/** What a resume from `after` gets: the items after it, or how many of them are gone already. */
export type Since<T> = { items: Numbered<T>[] } | { missing: number } | { ahead: true };

/**
 * The newest items of one stream, numbered 1, 2, … as they are pushed, bounded by count and by
 * size (one item larger than maxBytes is kept alone). A reader that saw up to `after` asks for
 * the rest; when some of them were already dropped it learns how many, so nothing is lost silently.
 */
export class ResumeBuffer<T> {
  private readonly kept: (Numbered<T> & { size: number })[] = [];
  private head = 0;
  private bytes = 0;
  private last = 0;

  constructor(private readonly limits: ResumeBufferLimits) {}

  /** The sequence number of the newest item (0 before the first). */
  get lastSeq(): number {
    return this.last;
  }

  /** Items held now. */
  get size(): number {
    return this.kept.length - this.head;
  }

  push(item: T, size: number): number {
    const seq = ++this.last;
    this.kept.push({ seq, item, size });
    this.bytes += size;
    while (this.size > 1 && (this.size > this.limits.maxItems || this.bytes > this.limits.maxBytes)) {
      this.bytes -= this.kept[this.head]!.size;
      this.kept[this.head++] = undefined as never;
    }
    // Compact now and then, so dropping the oldest stays cheap.
    if (this.head > 1024 && this.head * 2 > this.kept.length) {
      this.kept.splice(0, this.head);
      this.head = 0;
    }
    return seq;
  }

  since(after: number): Since<T> {
    if (after > this.last) return { ahead: true };
    const oldest = this.size > 0 ? this.kept[this.head]!.seq : this.last + 1;
    if (after + 1 < oldest) return { missing: oldest - after - 1 };
    const items: Numbered<T>[] = [];
    for (let index = this.head + (after + 1 - oldest); index < this.kept.length; index++) {
      const { seq, item } = this.kept[index]!;
      items.push({ seq, item });
    }
    return { items };
  }
}
