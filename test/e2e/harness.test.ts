/**
 * Proves the e2e harness itself: a test stack renders into a valid stack file, Compose accepts its
 * compose file, the registry holds every fixture release, the fixture stack really comes up (and
 * v1.2.0 really does not), volumes can be read and written, cleanup removes everything, tmux works.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stackSchema } from '../../src/core/stack/schema.js';
import {
  BROKEN_TAG,
  compose,
  testCompose,
  containersOf,
  createTestStack,
  dockerOk,
  FIXTURE_NAMESPACE,
  FIXTURE_TAGS,
  killAllTmuxSessions,
  networkExists,
  readFileInVolume,
  startTmux,
  volumeExists,
  writeFileInVolume,
  type TestStack,
} from './harness/index.js';

const stacks: TestStack[] = [];
async function newStack(options: Parameters<typeof createTestStack>[0] = {}): Promise<TestStack> {
  const stack = await createTestStack(options);
  stacks.push(stack);
  return stack;
}

afterEach(async () => {
  await killAllTmuxSessions();
  for (const stack of stacks.splice(0)) await stack.cleanup();
});

async function upStack(stack: TestStack) {
  await dockerOk(['network', 'create', stack.network]);
  const envFile = stack.writeComposeEnvFile();
  return compose({ project: stack.project, composeFile: stack.composeFile, envFile }, ['up', '-d']);
}

describe('e2e harness', () => {
  it('renders a valid stack file with unique names and free ports', async () => {
    const stack = await newStack({ name: 'render', tag: 'v1.1.0' });
    const text = readFileSync(stack.stackFile, 'utf8');
    expect(text).not.toMatch(/__[A-Z_]+__/);
    const parsed = stackSchema.safeParse(parse(text));
    expect(parsed.error?.message).toBeUndefined();
    const s = parsed.data!;
    expect(s.name).toBe(stack.project);
    expect(stack.id).toMatch(/^omt-render-[0-9a-f]{8}$/);
    expect(s.tag).toBe('v1.1.0');
    expect(s.registry).toBe(`${stack.registry}/${FIXTURE_NAMESPACE}`);
    expect(s.versionImage).toBe('openmates-api');
    expect(s.ports).toEqual([stack.apiPort, stack.webPort]);
    expect(stack.apiPort).not.toBe(stack.webPort);
    expect(s.networks).toEqual([stack.network]);
    expect(s.volumes).toMatchObject({ data: stack.dataVolumes, cache: stack.cacheVolumes });
    expect(s.secrets.find((secret) => secret.show)).toEqual({ name: 'SELF_HOST_FIRST_INVITE_CODE', digits: [4, 4, 4], show: true });
    expect(s.env).toMatchObject({ STACK_ID: stack.id, NETWORK_NAME: stack.network, API_PORT: String(stack.apiPort) });

    const other = await newStack();
    expect(other.id).not.toBe(stack.id);
    expect([other.apiPort, other.webPort]).not.toContain(stack.apiPort);
  });

  it('has a compose file that Compose accepts, naming the fixture images', async () => {
    const stack = await newStack();
    const envFile = stack.writeComposeEnvFile();
    const result = await compose({ project: stack.project, composeFile: stack.composeFile, envFile }, ['config']);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.exitCode).toBe(0);
    for (const service of ['setup', 'database', 'cache', 'api', 'webapp', 'worker']) expect(result.stdout).toContain(`${service}:`);
    expect(result.stdout).toContain(`image: ${stack.imageRegistry}/openmates-api:v1.0.0`);
    expect(result.stdout).toContain(`name: ${stack.dataVolumes[0]}`);
    // v1 prints the short port syntax, v2 the long one.
    if (testCompose() === 'v1') expect(result.stdout).toContain(`127.0.0.1:${stack.apiPort}:8000`);
    else expect(result.stdout).toMatch(new RegExp(`host_ip: 127\\.0\\.0\\.1\\n\\s+target: 8000\\n\\s+published: "${stack.apiPort}"`));
  });

  it('finds every fixture release in the registry', async () => {
    const stack = await newStack();
    const response = await fetch(`http://${stack.registry}/v2/${FIXTURE_NAMESPACE}/openmates-api/tags/list`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tags: string[] };
    expect(body.tags).toEqual(expect.arrayContaining([...FIXTURE_TAGS]));
  });

  it('brings the fixture stack up healthy, keeps volume files, and cleans up every trace', async () => {
    const stack = await newStack({ name: 'up' });
    const up = await upStack(stack);
    expect(up.stderr.slice(-2000)).not.toMatch(/ERROR/);
    expect(up.exitCode).toBe(0);

    const containers = await containersOf(stack.project);
    const byService = Object.fromEntries(containers.map((c) => [c.service, c]));
    expect(Object.keys(byService).sort()).toEqual(['api', 'cache', 'database', 'setup', 'webapp', 'worker']);
    expect(byService.setup).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(byService.api).toMatchObject({ state: 'running', health: 'healthy' });
    expect(byService.database).toMatchObject({ state: 'running', health: 'healthy' });
    expect(byService.worker).toMatchObject({ state: 'running' });

    expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toEqual({ status: 'healthy', version: 'v1.0.0' });
    expect(await (await fetch(`${stack.apiUrl}/version`)).text()).toBe('v1.0.0\n');
    expect(await (await fetch(stack.webUrl)).text()).toContain('Version v1.0.0');

    const data = stack.dataVolumes[0]!;
    expect((await readFileInVolume(data, 'PG_VERSION')).trim()).toBe('13');
    expect((await readFileInVolume(data, 'setup-done')).trim()).toBe('v1.0.0');
    await writeFileInVolume(data, 'notes/kept.txt', 'precious\n');
    expect(await readFileInVolume(data, 'notes/kept.txt')).toBe('precious');

    stacks.splice(stacks.indexOf(stack), 1);
    await stack.cleanup();
    expect(await containersOf(stack.project)).toEqual([]);
    expect(await volumeExists(data)).toBe(false);
    expect(await volumeExists(stack.cacheVolumes[0]!)).toBe(false);
    expect(await networkExists(stack.network)).toBe(false);
  });

  it(`never gets the api of ${BROKEN_TAG} healthy`, async () => {
    const stack = await newStack({ name: 'broken', tag: BROKEN_TAG });
    const up = await upStack(stack);
    expect(up.exitCode).not.toBe(0);
    const api = (await containersOf(stack.project)).find((c) => c.service === 'api');
    expect(api).toMatchObject({ state: 'running', health: 'unhealthy' });
    expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toEqual({ status: 'unhealthy', version: BROKEN_TAG });
  });

  it('drives a program in tmux', async () => {
    const session = await startTmux(['sh', '-c', 'echo "size $(stty size)"; echo ready; read answer; echo "got $answer"; exit 3'], {
      cols: 100,
      rows: 30,
    });
    await session.waitForText('ready');
    expect(await session.capturePane()).toContain('size 30 100');
    await session.type('hello world');
    await session.sendKeys('Enter');
    await session.waitForText(/got hello world/);
    expect(await session.waitForExit()).toBe(3);
  });
});
