import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckCache } from '../../../src/update/check-cache.js';

describe('CheckCache', () => {
  it('keeps every entry when several are written at once (the server and CLI checks run together)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'om-cache-')), 'update-check.json');
    const cache = new CheckCache(file);
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.set(`key ${i}`, i)));
    const again = new CheckCache(file);
    for (let i = 0; i < 20; i++) expect((await again.get<number>(`key ${i}`))?.value).toBe(i);
  });
});
