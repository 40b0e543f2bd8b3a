import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CastFile } from '../../../../../src/remote/agent/recordings/cast-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'om-castfile-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CastFile', () => {
  it('appends lines in order, many at a time, without waiting', async () => {
    const path = join(dir, 'a.cast');
    const file = new CastFile(open(path, 'ax', 0o600), () => expect.unreachable());
    for (let i = 0; i < 5000; i++) file.append(`line ${i}\n`);
    await file.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.length).toBe(5001);
    expect(lines.slice(0, 5000).every((line, i) => line === `line ${i}`)).toBe(true);
  });

  it('a full disk stops it with one warning; appends after that neither throw nor warn', async () => {
    const stops: string[] = [];
    const file = new CastFile(open('/dev/full', 'a'), (why) => stops.push(why));
    file.append('header\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 100; i++) file.append('more\n');
    await file.close();
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatch(/writing it failed: .*ENOSPC/);
  });

  it('a file that cannot be opened stops it with one warning', async () => {
    const stops: string[] = [];
    const file = new CastFile(open(join(dir, 'missing', 'a.cast'), 'ax', 0o600), (why) => stops.push(why));
    file.append('header\n');
    file.append('event\n');
    await file.close();
    expect(stops).toEqual([expect.stringMatching(/writing it failed: .*ENOENT/)]);
  });

  it('stops at its size bound, keeping only whole lines', async () => {
    const path = join(dir, 'b.cast');
    const stops: string[] = [];
    const file = new CastFile(open(path, 'ax', 0o600), (why) => stops.push(why));
    file.maxBytes = 100;
    for (let i = 0; i < 50; i++) file.append('0123456789\n');
    await file.close();
    expect(await readFile(path, 'utf8')).toBe('0123456789\n'.repeat(9));
    expect(stops).toEqual([expect.stringContaining('the bound for recordings (undo-max-size 100 B)')]);
  });
});
