import { describe, expect, it } from 'vitest';
import { ByteRing } from '../../../../src/core/terminals/byte-ring.js';

const text = (read: ReturnType<ByteRing['read']>) => ('bytes' in read ? read.bytes.toString() : read);

describe('ByteRing', () => {
  it('numbers bytes by offset and reads from any kept offset', () => {
    const ring = new ByteRing(8);
    ring.write(Buffer.from('abc'));
    ring.write(Buffer.from('de'));
    expect(ring.end).toBe(5);
    expect(ring.start).toBe(0);
    expect(text(ring.read(0, 100))).toBe('abcde');
    expect(text(ring.read(3, 100))).toBe('de');
    expect(text(ring.read(1, 2))).toBe('bc');
    expect(ring.read(5, 100)).toEqual({ seq: 5, bytes: Buffer.alloc(0) });
  });

  it('wraps around, keeping the newest capacity bytes in order', () => {
    const ring = new ByteRing(8);
    ring.write(Buffer.from('0123456'));
    ring.write(Buffer.from('789ab'));
    expect(ring.end).toBe(12);
    expect(ring.start).toBe(4);
    expect(text(ring.read(4, 100))).toBe('456789ab');
    expect(text(ring.read(6, 3))).toBe('678');
    const read = ring.read(7, 100);
    expect('seq' in read && read.seq).toBe(7);
  });

  it('keeps only the tail of a write larger than the ring, offsets still counting every byte', () => {
    const ring = new ByteRing(4);
    ring.write(Buffer.from('x'));
    ring.write(Buffer.from('abcdefghij'));
    expect(ring.end).toBe(11);
    expect(ring.start).toBe(7);
    expect(text(ring.read(7, 100))).toBe('ghij');
  });

  it('says how many bytes are gone when asked for an offset older than the ring holds', () => {
    const ring = new ByteRing(4);
    ring.write(Buffer.from('abcdefgh'));
    expect(ring.read(1, 10)).toEqual({ missing: 3, oldest: 4 });
  });

  it('says an offset past the end is ahead of the output', () => {
    const ring = new ByteRing(4);
    ring.write(Buffer.from('ab'));
    expect(ring.read(5, 10)).toEqual({ ahead: 3 });
  });

  it('matches a plain concatenation over many random writes', () => {
    const ring = new ByteRing(97);
    let all = Buffer.alloc(0);
    let seed = 7;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const piece = Buffer.alloc(seed % 150, String.fromCharCode(97 + (i % 26)));
      ring.write(piece);
      all = Buffer.concat([all, piece]);
    }
    expect(ring.end).toBe(all.length);
    const read = ring.read(ring.start, 1000);
    expect('bytes' in read && read.bytes.equals(all.subarray(all.length - 97))).toBe(true);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new ByteRing(0)).toThrow(/positive capacity/);
  });
});
