import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageUsersCache } from '../../../src/docker/image-users-cache.js';

const ID = `sha256:${'ab'.repeat(32)}`;
const users = { configured: '', passwd: 'root:x:0:0::/root:/bin/sh\nrunner:x:1000:1000::/home/runner:/bin/sh\n' };

describe('ImageUsersCache', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'omt-users-cache-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('keeps a probe by image id for the next process, in a file only its owner reads', async () => {
    await ImageUsersCache.forEnv({ XDG_CACHE_HOME: home }).set(ID, users);
    expect(await ImageUsersCache.forEnv({ XDG_CACHE_HOME: home }).get(ID)).toEqual(users);
    expect(await ImageUsersCache.forEnv({ XDG_CACHE_HOME: home }).get(`sha256:${'cd'.repeat(32)}`)).toBeUndefined();
    const file = join(home, 'openmates', 'image-users', `${'ab'.repeat(32)}.json`);
    expect((await stat(file)).mode & 0o077).toBe(0);
  });

  it('a corrupt entry is a miss; an id that is not a sha256 digest is never a file name', async () => {
    const cache = ImageUsersCache.forEnv({ XDG_CACHE_HOME: home });
    await cache.set(ID, users);
    await writeFile(join(home, 'openmates', 'image-users', `${'ab'.repeat(32)}.json`), '{"configured": 1');
    expect(await ImageUsersCache.forEnv({ XDG_CACHE_HOME: home }).get(ID)).toBeUndefined();
    await cache.set('../../escape', users);
    expect(await readdir(join(home, 'openmates', 'image-users'))).toEqual([`${'ab'.repeat(32)}.json`]);
  });
});
