import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseInstallVersion, nearestTags } from '../../../src/core/install/choose-version.js';
import { isOpenmatesError } from '../../../src/core/errors.js';
import { parseStack } from '../../../src/core/stack/load.js';
import { CheckCache } from '../../../src/update/check-cache.js';
import { closedPort, startFakeRegistry, type FakeRegistry } from '../update/fake-registry.js';

let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

const TAGS = ['v1.0.0', 'v1.0.1', 'v1.1.0', 'v1.2.0-rc.1', 'v0.9.0', 'latest'];
const stackAt = (registryHost: string) =>
  parseStack(
    `name: demo\ncompose: ./docker-compose.yml\nregistry: ${registryHost}/ns\nregistryVariable: REG\ntag: v0.9.0\ntagVariable: TAG\nversionImage: api\n`,
    'test stack',
  );
const cache = () => new CheckCache(join(mkdtempSync(join(tmpdir(), 'om-choose-')), 'update-check.json'));

describe('which version install puts in place', () => {
  it('the newest stable release without --tag, saying why; pre-releases only on that channel', async () => {
    registry = await startFakeRegistry({ repositories: { 'ns/api': TAGS } });
    const stable = await chooseInstallVersion({ stack: stackAt(registry.host), channel: 'stable', cache: cache() });
    expect(stable).toMatchObject({ tag: 'v1.1.0', source: 'newest', reason: `newest stable in ${registry.host}/ns/api`, warnings: [] });
    expect((await chooseInstallVersion({ stack: stackAt(registry.host), channel: 'prerelease', cache: cache() })).tag).toBe('v1.2.0-rc.1');
  });

  it('--tag pins a version the registry has; one it lacks is exit-6 naming the nearest', async () => {
    registry = await startFakeRegistry({ repositories: { 'ns/api': TAGS } });
    expect(await chooseInstallVersion({ stack: stackAt(registry.host), channel: 'stable', requested: 'v1.0.0', cache: cache() })).toMatchObject({ tag: 'v1.0.0', source: 'pinned' });
    const error = await chooseInstallVersion({ stack: stackAt(registry.host), channel: 'stable', requested: 'v1.0.5', cache: cache() }).catch((e: unknown) => e);
    expect(isOpenmatesError(error) && error.kind).toBe('operation-failed');
    expect((error as Error).message).toBe(`v1.0.5 does not exist in ${registry.host}/ns/api; the nearest versions are v1.2.0-rc.1, v1.1.0, v1.0.1, v1.0.0.`);
  });

  it('a repair keeps the installed version without asking the registry', async () => {
    const port = await closedPort();
    expect(await chooseInstallVersion({ stack: stackAt(`127.0.0.1:${port}`), channel: 'stable', installed: 'v1.0.0' })).toMatchObject({ tag: 'v1.0.0', source: 'installed', warnings: [] });
  });

  it('the registry down: the stack\'s tag, with a warning that says why', async () => {
    const port = await closedPort();
    const choice = await chooseInstallVersion({ stack: stackAt(`127.0.0.1:${port}`), channel: 'stable', cache: cache() });
    expect(choice).toMatchObject({ tag: 'v0.9.0', source: 'fallback', registryUnreachable: true });
    expect(choice.warnings[0]).toBe(`Cannot list the versions of 127.0.0.1:${port}/ns/api at http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port} (connection refused); installing the stack's fallback tag v0.9.0.`);
  });

  it('nearest tags: two older and two newer, newest first', () => {
    expect(nearestTags(['v1.0.0', 'v1.1.0', 'v1.2.0', 'v2.0.0', 'v3.0.0', 'main'], 'v1.5.0')).toEqual(['v3.0.0', 'v2.0.0', 'v1.2.0', 'v1.1.0']);
    expect(nearestTags(['v1.0.0', 'v1.1.0'], 'v9.0.0')).toEqual(['v1.1.0', 'v1.0.0']);
    expect(nearestTags(['v1.0.0', 'v1.1.0'], 'banana')).toEqual(['v1.1.0', 'v1.0.0']);
  });
});
