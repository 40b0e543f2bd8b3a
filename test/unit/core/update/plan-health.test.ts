import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ignoreEvents } from '../../../../src/core/events.js';
import { planUpdate } from '../../../../src/core/update/plan-update.js';
import { CheckCache } from '../../../../src/update/check-cache.js';
import { container, FakeEngine } from '../../fakes/fake-docker.js';
import { startFakeRegistry, type FakeRegistry } from '../../update/fake-registry.js';
import { fakeDeps, installDirOn, PROJECT, TagCompose } from './update-fixture.js';

/** Like upstream's: vault-setup runs once (restart: on-failure), the api waits for it to finish. */
const composeWithOneShot = `services:
  vault-setup:
    image: \${OPENMATES_IMAGE_REGISTRY}/openmates-vault-setup:\${OPENMATES_IMAGE_TAG}
    restart: "on-failure"
  cms-setup:
    image: \${OPENMATES_IMAGE_REGISTRY}/openmates-cms-setup:\${OPENMATES_IMAGE_TAG}
    restart: "no"
  api:
    image: \${OPENMATES_IMAGE_REGISTRY}/openmates-api:\${OPENMATES_IMAGE_TAG}
    depends_on:
      vault-setup: { condition: service_completed_successfully }
`;

let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function planWith(containers: ReturnType<typeof container>[]) {
  registry = await startFakeRegistry({ repositories: { 'ns/openmates-api': ['v1.0.0', 'v1.1.0'] } });
  const dir = installDirOn('v1.0.0', `${registry.host}/ns`);
  writeFileSync(join(dir, 'docker-compose.yml'), composeWithOneShot);
  const engine = new FakeEngine();
  engine.containers = containers;
  const deps = fakeDeps(engine, new TagCompose(engine, dir, new Set()));
  return planUpdate({ installDir: dir }, deps, ignoreEvents, undefined, { channel: async () => 'stable', cache: new CheckCache(join(dir, 'cache.json')) });
}

describe("the update plan's view of the running version", () => {
  it('counts finished one-shot services (restart: on-failure or "no", exit 0) as done, not as down', async () => {
    const plan = await planWith([
      container(PROJECT, 'vault-setup', { state: 'exited', exitCode: 0, restartPolicy: 'on-failure' }),
      container(PROJECT, 'cms-setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' }),
      container(PROJECT, 'api', { health: 'healthy' }),
    ]);
    expect(plan.target).toBe('v1.1.0');
    expect(plan.healthyNow).toBe(true);
    expect(plan.warnings).toEqual([]);
  });

  it('still warns when a one-shot service failed, or a service the compose file has is missing', async () => {
    const failed = await planWith([container(PROJECT, 'vault-setup', { state: 'exited', exitCode: 1, restartPolicy: 'on-failure' }), container(PROJECT, 'cms-setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' }), container(PROJECT, 'api', { health: 'healthy' })]);
    expect(failed.healthyNow).toBe(false);
    expect(failed.warnings).toEqual([`${PROJECT} v1.0.0 is not healthy right now; if the update fails, a rollback can only bring back this state.`]);
    await registry?.close();
    const missing = await planWith([container(PROJECT, 'vault-setup', { state: 'exited', exitCode: 0, restartPolicy: 'on-failure' }), container(PROJECT, 'cms-setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' })]);
    expect(missing.healthyNow).toBe(false);
  });
});
