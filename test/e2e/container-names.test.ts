import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, docker, dockerOk, networkExists, runCli, toolboxImage, type TestStack } from './harness/index.js';
import { finalObject } from './json-lines.js';

/**
 * Upstream's compose file gives its services fixed container_names (api, cache, webapp, ...):
 * a container of another project holding one made install fail after it had started. Preflight
 * checks them like ports.
 */
const stacks: TestStack[] = [];
const blockers: string[] = [];
afterEach(async () => {
  await Promise.all(blockers.splice(0).map((name) => docker(['rm', '-f', name])));
  await Promise.all(stacks.splice(0).map((stack) => stack.cleanup()));
});

/** The test stack with a fixed container_name for its api, interpolated from .env like upstream's. */
async function stackWithContainerName(name: string): Promise<{ stack: TestStack; containerName: string }> {
  const stack = await createTestStack({ name });
  stacks.push(stack);
  const compose = await readFile(stack.composeFile, 'utf8');
  const withName = compose.replace(/^ {2}api:\n/m, '  api:\n    container_name: ${STACK_ID}-api-fixed\n');
  expect(withName).not.toBe(compose);
  await writeFile(stack.composeFile, withName);
  return { stack, containerName: `${stack.id}-api-fixed` };
}

const install = (stack: TestStack, extra: string[] = []) => runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir, ...extra]);

describe('fixed container names (real engine and Compose)', () => {
  it('preflight names the container and Compose project holding a name: exit 4, nothing started; once it is gone, install works and a repair accepts its own container', async () => {
    const { stack, containerName } = await stackWithContainerName('names');
    const otherProject = `${stack.id}-other`;
    await dockerOk(['pull', toolboxImage()]);
    blockers.push(containerName);
    await dockerOk(['create', '--name', containerName, '--label', `com.docker.compose.project=${otherProject}`, '--label', 'com.docker.compose.service=api', '--label', 'org.openmates.test.helper=true', toolboxImage(), 'true']);

    const refused = await install(stack, ['--json']);
    expect(refused.exitCode, refused.stderr).toBe(4);
    expect(finalObject(refused.stdout)).toMatchObject({
      type: 'error',
      kind: 'preflight',
      exitCode: 4,
      message: `Preflight failed: Container name ${containerName}: held by a container of the Compose project ${otherProject} (service api, created); the stack's api service needs that name.`,
      hint: `Stop that project (docker compose -p ${otherProject} down), or remove or rename the container (docker rm -f ${containerName}, or docker rename ${containerName} ${containerName}-old), then run install again.`,
    });
    expect(await containersOf(stack.project)).toEqual([]);
    expect(await networkExists(stack.network)).toBe(false);

    await dockerOk(['rm', '-f', containerName]);
    const installed = await install(stack);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('✓ Container names: 1 free');
    const api = (await containersOf(stack.project)).find((container) => container.service === 'api');
    expect(api?.name).toBe(containerName);

    const repaired = await install(stack);
    expect(repaired.exitCode, repaired.stderr).toBe(0);
    expect(repaired.stderr).toContain('✓ Container names: 0 free, 1 held by this install');
  });
});
