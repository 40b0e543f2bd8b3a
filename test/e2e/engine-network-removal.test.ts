/**
 * The engine adapter's network removal against a real engine: how it reads the engine's answer when
 * a network still has an endpoint. A container attached on purpose makes the engine give the same
 * "has active endpoints" refusal its stale-endpoint bug gives with none attached (moby/moby#33156),
 * which cannot be produced on demand.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/docker/connect.js';
import { docker, dockerOk, networkExists, testEnv, toolboxImage } from './harness/index.js';

const id = `omt-netrm-${randomBytes(4).toString('hex')}`;

describe('removeNetwork (real engine)', () => {
  afterAll(async () => {
    await docker(['rm', '-f', id]);
    await docker(['network', 'rm', id]);
  });

  it('says "has-active-endpoints" while an endpoint is on the network, and removes it once there is none', async () => {
    const engine = await connectEngine({ DOCKER_HOST: testEnv().dockerHost });
    await dockerOk(['network', 'create', id]);
    await dockerOk(['run', '-d', '--name', id, '--network', id, '--label', 'org.openmates.test.helper=true', toolboxImage(), 'sleep', '300'], { timeoutMs: 120_000 });

    expect(await engine.removeNetwork(id)).toBe('has-active-endpoints');
    expect(await networkExists(id)).toBe(true);

    await dockerOk(['rm', '-f', id]);
    expect(await engine.removeNetwork(id)).toBe('removed');
    expect(await networkExists(id)).toBe(false);
    expect(await engine.removeNetwork(id)).toBe('removed');
  });
});
