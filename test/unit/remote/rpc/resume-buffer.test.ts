import { describe, expect, it } from 'vitest';
import { ResumeBuffer } from '../../../../src/remote/rpc/resume/resume-buffer.js';

const filled = (count: number, limits = { maxItems: 100, maxBytes: 1_000_000 }) => {
  const buffer = new ResumeBuffer<string>(limits);
  for (let i = 1; i <= count; i++) buffer.push(`line ${i}`, 10);
  return buffer;
};

describe('ResumeBuffer: the newest events of a stream, numbered, for a resume', () => {
  it('numbers items from 1 and answers everything after the last one a reader saw', () => {
    const buffer = filled(5);
    expect(buffer.lastSeq).toBe(5);
    expect(buffer.since(2)).toEqual({ items: [3, 4, 5].map((seq) => ({ seq, item: `line ${seq}` })) });
    expect(buffer.since(0)).toEqual({ items: [1, 2, 3, 4, 5].map((seq) => ({ seq, item: `line ${seq}` })) });
    expect(buffer.since(5)).toEqual({ items: [] });
  });

  it('keeps at most maxItems, and says how many a late reader missed instead of skipping them', () => {
    const buffer = filled(250);
    expect(buffer.size).toBe(100);
    expect(buffer.since(150)).toMatchObject({ items: expect.any(Array) });
    expect((buffer.since(150) as { items: unknown[] }).items).toHaveLength(100);
    expect(buffer.since(149)).toEqual({ missing: 1 });
    expect(buffer.since(10)).toEqual({ missing: 140 });
  });

  it('keeps at most maxBytes, but always the newest item even when it alone is larger', () => {
    const buffer = new ResumeBuffer<string>({ maxItems: 1000, maxBytes: 100 });
    for (let i = 1; i <= 20; i++) buffer.push(`item ${i}`, 30);
    expect(buffer.size).toBe(3);
    expect(buffer.since(17)).toEqual({ items: [18, 19, 20].map((seq) => ({ seq, item: `item ${seq}` })) });
    buffer.push('huge', 5000);
    expect(buffer.size).toBe(1);
    expect(buffer.since(20)).toEqual({ items: [{ seq: 21, item: 'huge' }] });
  });

  it('refuses a reader that claims items never sent', () => {
    expect(filled(3).since(4)).toEqual({ ahead: true });
    expect(new ResumeBuffer({ maxItems: 1, maxBytes: 1 }).since(0)).toEqual({ items: [] });
  });

  it('stays correct across its internal compaction (many more items than it keeps)', () => {
    const buffer = filled(50_000, { maxItems: 700, maxBytes: 1_000_000 });
    const since = buffer.since(49_990) as { items: { seq: number; item: string }[] };
    expect(since.items.map((entry) => entry.seq)).toEqual([49_991, 49_992, 49_993, 49_994, 49_995, 49_996, 49_997, 49_998, 49_999, 50_000]);
    expect(since.items[9]!.item).toBe('line 50000');
    expect(buffer.since(49_299)).toEqual({ missing: 1 });
  });
});
