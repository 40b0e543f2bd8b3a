import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeShape } from '../../../src/core/compose-file.js';
import { memoizedParse } from '../../../src/core/parse-memo.js';
import { settingsSchema } from '../../../src/core/settings-schema.js';
import { loadBuiltinStack } from '../../../src/core/stack/builtin.js';
import { parseStack } from '../../../src/core/stack/load.js';

describe('memoizedParse', () => {
  const counting = () => {
    const seen: string[] = [];
    return { seen, parse: (text: string) => () => (seen.push(text), { length: text.length, words: text.split(' ') }) };
  };

  it('parses a text once per build, and again when the text or the build changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omt-memo-'));
    const { seen, parse } = counting();
    const options = { dir, build: 'b1' };
    expect(await memoizedParse('stack', 'a b', parse('a b'), options)).toEqual({ length: 3, words: ['a', 'b'] });
    expect(await memoizedParse('stack', 'a b', parse('a b'), options)).toEqual({ length: 3, words: ['a', 'b'] });
    expect(seen).toEqual(['a b']);
    expect(await memoizedParse('stack', 'a c', parse('a c'), options)).toEqual({ length: 3, words: ['a', 'c'] });
    expect(await memoizedParse('compose', 'a b', parse('a b'), options)).toEqual({ length: 3, words: ['a', 'b'] });
    expect(seen).toEqual(['a b', 'a c', 'a b']);
    // A new build parses afresh and drops what the old one kept of that kind.
    expect(await memoizedParse('stack', 'a b', parse('a b'), { dir, build: 'b2' })).toEqual({ length: 3, words: ['a', 'b'] });
    expect(seen).toEqual(['a b', 'a c', 'a b', 'a b']);
    const files = (await readdir(dir)).sort();
    expect(files.filter((name) => name.startsWith('stack-'))).toEqual([expect.stringMatching(/^stack-b2-[0-9a-f]{8}\.json$/)]);
    expect(files.filter((name) => name.startsWith('compose-'))).toHaveLength(1);
  });

  it('keeps the newest 8 entries of a kind: a file changed many times does not fill the cache', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omt-memo-'));
    const options = { dir, build: 'b1' };
    for (let i = 0; i < 12; i++) await memoizedParse('devices', `text ${i}`, () => i, options);
    await memoizedParse('settings', 'x', () => 1, options);
    const files = await readdir(dir);
    expect(files.filter((name) => name.startsWith('devices-'))).toHaveLength(8);
    expect(files.filter((name) => name.startsWith('settings-'))).toHaveLength(1);
    // The one written last is always among them: read again, it is a hit.
    expect(await memoizedParse('devices', 'text 11', () => -1, options)).toBe(11);
  });

  it('never remembers a failure, and an entry for another text under the same name is not a hit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'omt-memo-'));
    const options = { dir, build: 'b1' };
    await expect(memoizedParse('settings', '{bad', () => Promise.reject(new Error('not valid')), options)).rejects.toThrow('not valid');
    expect(await readdir(dir).catch(() => [])).toEqual([]);
    await memoizedParse('settings', 'x', () => 1, options);
    const [file] = await readdir(dir);
    await writeFile(join(dir, file!), JSON.stringify({ kind: 'settings', build: 'b1', text: 'y', value: 2 }));
    expect(await memoizedParse('settings', 'x', () => 3, options)).toBe(3);
  });

  it('parses every time when running from source (no build id) or when the cache dir cannot be written', async () => {
    const { seen, parse } = counting();
    await memoizedParse('stack', 'a', parse('a'), { dir: join(tmpdir(), 'unused'), build: undefined });
    await memoizedParse('stack', 'a', parse('a'), { dir: join(tmpdir(), 'unused'), build: undefined });
    const file = join(await mkdtemp(join(tmpdir(), 'omt-memo-')), 'a-file');
    await writeFile(file, '');
    expect(await memoizedParse('stack', 'a', parse('a'), { dir: join(file, 'parsed'), build: 'b1' })).toEqual({ length: 1, words: ['a'] });
    expect(seen).toEqual(['a', 'a', 'a']);
  });
});

describe('what the memo keeps survives JSON unchanged', () => {
  // memoizedParse stores values as JSON: a schema that started returning a Date, a Map or undefined
  // fields with meaning would read back differently from the memo than from the parser.
  const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/stack/${name}`, import.meta.url)), 'utf8');

  const filled: Record<string, string> = { STACK_ID: 'omt-memo', API_PORT: '8000', WEB_PORT: '8001', REGISTRY: '127.0.0.1:5055', DOCKER_SOCKET: '/var/run/docker.sock' };
  const testStack = () => fixture('stack.template.yml').replace(/__([A-Z_]+)__/g, (_, name: string) => filled[name] ?? name);

  it('holds for the built-in stack, the test stack and their compose files', () => {
    const stacks = [loadBuiltinStack().stack, parseStack(testStack(), 'stack.yml')];
    for (const stack of stacks) expect(JSON.parse(JSON.stringify(stack))).toStrictEqual(stack);
    const shape = composeShape(fixture('docker-compose.yml'), 'docker-compose.yml');
    expect(shape.services.length).toBeGreaterThan(3);
    expect(JSON.parse(JSON.stringify(shape))).toStrictEqual(shape);
  });

  it('holds for the settings, read with and without a file', () => {
    for (const input of [{}, { safetyMode: true, updateChannel: 'prerelease' }]) {
      const settings = settingsSchema.parse(input);
      expect(JSON.parse(JSON.stringify(settings))).toStrictEqual(settings);
    }
  });
});
