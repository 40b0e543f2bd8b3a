import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the SDK in a browser bundle', () => {
  it('bundles for the browser without any Node built-in (ws stays a Node-only lazy import)', async () => {
    const result = await build({ entryPoints: ['src/remote/sdk/index.ts'], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:') || /node_modules\/(ws|@types\/node)\//.test(input))).toEqual([]);
    expect(inputs.some((input) => input.includes('libsodium-wrappers'))).toBe(true);
    const code = new TextDecoder().decode(result.outputFiles[0]!.contents);
    expect(code).not.toMatch(/from\s*["']node:/);
  });
});
