import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileOps } from '../../../../src/core/files/index.js';
import { searchFiles } from '../../../../src/core/files/search-files.js';
import { useTempFolders } from './temp-tree.js';

const newTemp = useTempFolders();

describe('search', () => {
  it('finds names and content lines, skipping .git, node_modules, binaries and secrets', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'src'));
    await mkdir(join(root, '.git'));
    await mkdir(join(root, 'node_modules/pkg'), { recursive: true });
    await writeFile(join(root, 'src/app.ts'), 'const a = 1;\nconst needle = "Needle here";\n');
    await writeFile(join(root, 'src/needle-notes.md'), 'nothing');
    await writeFile(join(root, '.git/config'), 'needle');
    await writeFile(join(root, 'node_modules/pkg/index.js'), 'needle');
    await writeFile(join(root, 'blob.bin'), Buffer.concat([Buffer.from('needle'), Buffer.from([0, 1, 2])]));
    await writeFile(join(root, '.env'), 'NEEDLE_TOKEN=needle-secret-value\n');
    await writeFile(join(root, 'key.txt'), '-----BEGIN RSA PRIVATE KEY-----\nneedle\n');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const result = await files.search('needle');
    expect(result.truncated).toBe(false);
    expect(result.matches).toEqual([
      { path: join(root, 'src/app.ts'), kind: 'content', line: 2, text: 'const needle = "Needle here";' },
      { path: join(root, 'src/needle-notes.md'), kind: 'name' },
    ]);
  });

  it('searches only inside the folder given, which must be in scope', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'a'));
    await mkdir(join(root, 'b'));
    await writeFile(join(root, 'a/x'), 'word');
    await writeFile(join(root, 'b/y'), 'word');
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect((await files.search('word', { in: 'b' })).matches.map((match) => match.path)).toEqual([join(root, 'b/y')]);
    await expect(files.search('word', { in: '..' })).rejects.toMatchObject({ kind: 'refused' });
    await expect(files.search('')).rejects.toMatchObject({ kind: 'usage' });
  });

  it('stops at the match limit and says it was truncated', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'many'), Array.from({ length: 50 }, () => 'hit').join('\n'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    const result = await files.search('hit', { limit: 10 });
    expect(result.matches).toHaveLength(10);
    expect(result.truncated).toBe(true);
  });

  it('stops at the byte budget and the time budget', async () => {
    const root = await newTemp();
    for (let i = 0; i < 5; i++) await writeFile(join(root, `f${i}`), 'x'.repeat(1000));
    const byBytes = await searchFiles(root, 'nothing-matches', { limit: 100, maxBytes: 1500, maxFileBytes: 10_000, timeMs: 60_000 });
    expect(byBytes.truncated).toBe(true);
    const byTime = await searchFiles(root, 'nothing-matches', { limit: 100, maxBytes: 1e9, maxFileBytes: 10_000, timeMs: -1 });
    expect(byTime).toEqual({ matches: [], truncated: true });
    const whole = await searchFiles(root, 'nothing-matches', { limit: 100, maxBytes: 1e9, maxFileBytes: 10_000, timeMs: 60_000 });
    expect(whole.truncated).toBe(false);
  });

  it('does not follow symlinks out of the folder', async () => {
    const root = await newTemp();
    const outside = await newTemp();
    await writeFile(join(outside, 'target'), 'outside-word');
    await symlink(outside, join(root, 'out'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect((await files.search('outside-word')).matches).toEqual([]);
  });
});
