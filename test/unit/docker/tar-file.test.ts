import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstFileOfTar } from '../../../src/docker/tar-file.js';

describe('firstFileOfTar', () => {
  let dir: string;
  const tarOf = async (...args: string[]) => Buffer.from((await execa('tar', ['-C', dir, ...args, '-cf', '-'], { encoding: 'buffer' })).stdout);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'omt-tar-'));
    await writeFile(join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nrunner:x:1000:1000::/home/runner:/bin/sh\n');
    await writeFile(join(dir, `${'long-name-'.repeat(12)}.txt`), 'the long one\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("answers the file's bytes", async () => {
    expect(firstFileOfTar(await tarOf('passwd'))?.toString()).toContain('runner:x:1000:1000');
  });

  it('skips a long-name header (GNU and pax) to reach the file', async () => {
    const name = `${'long-name-'.repeat(12)}.txt`;
    expect(firstFileOfTar(await tarOf('--format=gnu', name))?.toString()).toBe('the long one\n');
    expect(firstFileOfTar(await tarOf('--format=pax', name))?.toString()).toBe('the long one\n');
  });

  it('is undefined for an archive with no regular file, or a cut one', async () => {
    expect(firstFileOfTar(await tarOf('--no-recursion', '.'))).toBeUndefined();
    expect(firstFileOfTar((await tarOf('passwd')).subarray(0, 520))).toBeUndefined();
    expect(firstFileOfTar(Buffer.alloc(0))).toBeUndefined();
  });
});
