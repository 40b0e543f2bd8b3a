import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckCache, CHECK_CACHE_TTL_MS } from '../../../src/update/check-cache.js';
import { checkForUpdates } from '../../../src/update/check-updates.js';
import { closedPort, startFakeRegistry, type FakeRegistry } from './fake-registry.js';
import { settingsSchema } from '../../../src/core/settings-schema.js';

let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

/** An install dir holding a stack copy and .env, as install leaves them. */
function installDir(registryValue: string, tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'omt-unit-update-'));
  writeFileSync(
    join(dir, 'openmates-stack.yml'),
    ['name: demo', 'compose: ./docker-compose.yml', `registry: ${registryValue}`, 'registryVariable: OPENMATES_IMAGE_REGISTRY', `tag: ${tag}`, 'tagVariable: OPENMATES_IMAGE_TAG', 'versionImage: openmates-api', ''].join('\n'),
  );
  writeFileSync(join(dir, '.env'), `OPENMATES_IMAGE_REGISTRY=${registryValue}\nOPENMATES_IMAGE_TAG=${tag}\n`, { mode: 0o600 });
  return dir;
}

function cacheAt(now: () => number = Date.now): CheckCache {
  return new CheckCache(join(mkdtempSync(join(tmpdir(), 'omt-unit-cache-')), 'openmates', 'update-check.json'), now);
}

const stable = async () => settingsSchema.parse({ updateChannel: 'stable' });
const prerelease = async () => settingsSchema.parse({ updateChannel: 'prerelease' });
const TAGS = ['v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'main'];

describe('the start-up update check', () => {
  it('finds a newer release of the installed stack and a newer CLI on npm', async () => {
    registry = await startFakeRegistry({ requireToken: true, repositories: { 'ns/openmates-api': TAGS }, npm: { 'openmates-server-cli': '0.2.0' } });
    const check = await checkForUpdates({
      installDir: installDir(`${registry.host}/ns`, 'v1.0.0'),
      cliVersion: '0.1.0',
      cache: cacheAt(),
      readSettings: stable,
      env: { OPENMATES_NPM_REGISTRY: registry.url },
    });
    expect(check.notes).toEqual([]);
    expect(check.server).toMatchObject({ installed: 'v1.0.0', latest: 'v1.1.0', available: true, channel: 'stable', fromCache: false });
    expect(check.cli).toEqual({ current: '0.1.0', latest: '0.2.0', available: true, upgradeCommand: 'npm install -g openmates-server-cli@latest' });
  });

  it('offers a pre-release only on the pre-release channel', async () => {
    registry = await startFakeRegistry({ repositories: { 'ns/openmates-api': TAGS } });
    const dir = installDir(`${registry.host}/ns`, 'v1.1.0');
    const env = { OPENMATES_NPM_REGISTRY: registry.url };
    expect((await checkForUpdates({ installDir: dir, cache: cacheAt(), readSettings: stable, env })).server).toMatchObject({ latest: 'v1.1.0', available: false });
    expect((await checkForUpdates({ installDir: dir, cache: cacheAt(), readSettings: prerelease, env })).server).toMatchObject({ latest: 'v1.2.0-rc.1', available: true });
  });

  it('asks the registry once a day: a second check within the day reads the cache', async () => {
    registry = await startFakeRegistry({ repositories: { 'ns/openmates-api': TAGS }, npm: { 'openmates-server-cli': '0.2.0' } });
    let now = Date.parse('2026-01-01T00:00:00Z');
    const cache = cacheAt(() => now);
    // A generous network budget: on a loaded machine 2 s can run out, and nothing is cached then.
    const options = { installDir: installDir(`${registry.host}/ns`, 'v1.0.0'), cliVersion: '0.1.0', cache, readSettings: stable, env: { OPENMATES_NPM_REGISTRY: registry.url }, timeoutMs: 30_000 };
    // Counted relative to each other: under load fetch may send an idempotent GET twice.
    await checkForUpdates(options);
    const afterFirst = registry.requests.length;
    expect(new Set(registry.requests)).toEqual(new Set(['GET /openmates-server-cli', registry.requests.find((r) => r.includes('/tags/list'))]));
    now += CHECK_CACHE_TTL_MS - 1000;
    const cached = await checkForUpdates(options);
    expect(cached.server).toMatchObject({ latest: 'v1.1.0', fromCache: true, checkedAt: '2026-01-01T00:00:00.000Z' });
    expect(registry.requests).toHaveLength(afterFirst);
    now += 2000;
    expect((await checkForUpdates(options)).server?.fromCache).toBe(false);
    const afterExpiry = registry.requests.length;
    expect(afterExpiry).toBeGreaterThanOrEqual(afterFirst + 2);
    // `fresh` (update --check) always asks.
    await checkForUpdates({ ...options, fresh: true });
    expect(registry.requests.length).toBeGreaterThanOrEqual(afterExpiry + 2);
  });

  it('treats a corrupt cache file as empty and rewrites it', async () => {
    registry = await startFakeRegistry({ repositories: { 'ns/openmates-api': TAGS } });
    const cache = cacheAt();
    await cache.set('x', 1);
    writeFileSync(cache.file, '{ not json');
    const check = await checkForUpdates({ installDir: installDir(`${registry.host}/ns`, 'v1.0.0'), cache, readSettings: stable, env: { OPENMATES_NPM_REGISTRY: registry.url } });
    expect(check.server?.latest).toBe('v1.1.0');
    expect(JSON.parse(readFileSync(cache.file, 'utf8')).entries).toHaveProperty([`tags http://${registry.host}/ns/openmates-api`]);
  });

  it('turns a closed registry into a quiet note, never an error', async () => {
    const port = await closedPort();
    const check = await checkForUpdates({ installDir: installDir(`127.0.0.1:${port}/ns`, 'v1.0.0'), cliVersion: '0.1.0', cache: cacheAt(), readSettings: stable, env: { OPENMATES_NPM_REGISTRY: `http://127.0.0.1:${port}` } });
    expect(check.server).toBeUndefined();
    expect(check.cli).toBeUndefined();
    expect(check.notes).toEqual([
      `Could not check for a newer OpenMates: Cannot list the versions of 127.0.0.1:${port}/ns/openmates-api at http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port} (connection refused).`,
      `Could not check for a newer openmates CLI: Cannot ask http://127.0.0.1:${port} for the newest openmates-server-cli: nothing answers at 127.0.0.1:${port} (connection refused).`,
    ]);
  });

  it('gives up on a registry that never answers after the network budget', async () => {
    registry = await startFakeRegistry({ hang: true });
    const started = Date.now();
    const check = await checkForUpdates({ installDir: installDir(`${registry.host}/ns`, 'v1.0.0'), cliVersion: '0.1.0', cache: cacheAt(), readSettings: stable, timeoutMs: 400, env: { OPENMATES_NPM_REGISTRY: registry.url } });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(check.notes.join('\n')).toContain('did not answer in time');
    expect(check.notes.join('\n')).toContain('no answer in time');
  });

  it('is off with OPENMATES_NO_UPDATE_CHECK=1 or the setting, and asks nobody', async () => {
    registry = await startFakeRegistry({ repositories: { 'ns/openmates-api': TAGS } });
    const dir = installDir(`${registry.host}/ns`, 'v1.0.0');
    expect(await checkForUpdates({ installDir: dir, cache: cacheAt(), readSettings: stable, env: { OPENMATES_NO_UPDATE_CHECK: '1' } })).toEqual({ notes: [], skipped: 'OPENMATES_NO_UPDATE_CHECK is set' });
    expect(await checkForUpdates({ installDir: dir, cache: cacheAt(), readSettings: async () => settingsSchema.parse({ updateCheck: false }), env: {} })).toEqual({
      notes: [],
      skipped: 'the update check is turned off in the settings',
    });
    expect(registry.requests).toEqual([]);
  });

  it('checks only the CLI when nothing is installed, and skips a development build', async () => {
    registry = await startFakeRegistry({ npm: { 'openmates-server-cli': '0.1.0' } });
    const empty = mkdtempSync(join(tmpdir(), 'omt-unit-empty-'));
    const check = await checkForUpdates({ installDir: empty, cliVersion: '0.1.0', cache: cacheAt(), readSettings: stable, env: { OPENMATES_NPM_REGISTRY: registry.url } });
    expect(check).toEqual({ cli: { current: '0.1.0', latest: '0.1.0', available: false, upgradeCommand: 'npm install -g openmates-server-cli@latest' }, notes: [] });
    expect((await checkForUpdates({ installDir: empty, cliVersion: 'dev', cache: cacheAt(), readSettings: stable, env: { OPENMATES_NPM_REGISTRY: registry.url } })).cli).toBeUndefined();
  });
});
