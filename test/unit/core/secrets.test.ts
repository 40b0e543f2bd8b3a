import { describe, expect, it } from 'vitest';
import { generateSecret } from '../../../src/core/install/secrets.js';

describe('generateSecret', () => {
  it('makes hex of the given number of bytes', () => {
    expect(generateSecret({ name: 'A', hex: 12 })).toMatch(/^[0-9a-f]{24}$/);
  });
  it('makes digit groups like an invite code', () => {
    expect(generateSecret({ name: 'CODE', digits: [4, 4, 4] })).toMatch(/^\d{4}-\d{4}-\d{4}$/);
  });
  it('never repeats itself', () => {
    expect(generateSecret({ name: 'A', hex: 32 })).not.toBe(generateSecret({ name: 'A', hex: 32 }));
  });
});
