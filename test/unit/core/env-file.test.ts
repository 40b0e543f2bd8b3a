import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvFile, writeSecretFile } from '../../../src/core/install/env-file.js';

describe('EnvFile', () => {
  it('keeps comments, order and unknown variables when a value changes', () => {
    const env = EnvFile.parse('# mine\nA=1\nCUSTOM="x y"\n\nB=2\n');
    env.set('A', '10');
    env.set('C', 'new');
    expect(env.toString()).toBe('# mine\nA=10\nCUSTOM="x y"\n\nB=2\nC=new\n');
  });

  it('reads quoted values and treats empty ones as empty', () => {
    const env = EnvFile.parse('Q="a \\"b\\" $c"\nS=\'single\'\nE=\nX=plain # note\n');
    expect(env.get('Q')).toBe('a "b" $c');
    expect(env.get('S')).toBe('single');
    expect(env.isEmpty('E')).toBe(true);
    expect(env.isEmpty('MISSING')).toBe(true);
    expect(env.get('X')).toBe('plain');
  });

  it('round-trips values that need quoting', () => {
    const env = EnvFile.empty();
    env.set('P', 'has space $and "quotes"');
    expect(EnvFile.parse(env.toString()).get('P')).toBe('has space $and "quotes"');
  });
});

describe('writeSecretFile', () => {
  it('writes with mode 0600 and replaces the old file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'om-env-'));
    const path = join(dir, '.env');
    await writeFile(path, 'OLD=1\n', { mode: 0o644 });
    await writeSecretFile(path, 'NEW=2\n');
    expect(await readFile(path, 'utf8')).toBe('NEW=2\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
