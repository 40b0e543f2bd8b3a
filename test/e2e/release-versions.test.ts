/**
 * Installing real releases: the registry holds them as upstream's CI publishes them (an OCI index
 * for linux/amd64 + linux/arm64 whose configs carry the revision label, or a plain label-less
 * tag), and the compose file is served only at /<commit>/docker-compose.yml.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  containersOf,
  createTestStack,
  docker,
  dockerOk,
  FIXTURE_IMAGES,
  FIXTURE_STACK_DIR,
  freePort,
  publishReleases,
  readFileInVolume,
  runCli,
  startFileServer,
  testEnv,
  writeFileInVolume,
  type FileServer,
  type TestStack,
} from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';

const NAMESPACE = 'openmates-release';
const COMMIT = {
  'v0.9.0': '0900000000000000000000000000000000000009',
  'v1.0.0': '1000000000000000000000000000000000000001',
  'v1.1.0': '1100000000000000000000000000000000000011',
  'v1.2.0-rc.1': '1201000000000000000000000000000000000121',
};

let composeServer: FileServer;
const stacks: TestStack[] = [];
const localTags: string[] = [];

beforeAll(async () => {
  await publishReleases(NAMESPACE, [
    { tag: 'v0.9.0', from: 'v1.0.0', layout: 'index', revision: COMMIT['v0.9.0'] },
    { tag: 'v1.0.0', from: 'v1.0.0', layout: 'index', revision: COMMIT['v1.0.0'] },
    { tag: 'v1.0.1', from: 'v1.0.0', layout: 'single' },
    { tag: 'v1.1.0', from: 'v1.1.0', layout: 'index', revision: COMMIT['v1.1.0'] },
    { tag: 'v1.2.0-rc.1', from: 'v1.2.0', layout: 'index', revision: COMMIT['v1.2.0-rc.1'] },
  ]);
  const compose = await readFile(join(FIXTURE_STACK_DIR, 'docker-compose.yml'), 'utf8');
  // v0.9.0's commit has no compose file here: its download is the 404 case.
  composeServer = await startFileServer({
    [`/${COMMIT['v1.0.0']}/docker-compose.yml`]: compose,
    [`/${COMMIT['v1.1.0']}/docker-compose.yml`]: compose,
    [`/${COMMIT['v1.2.0-rc.1']}/docker-compose.yml`]: compose,
    '/v1.0.1/docker-compose.yml': compose,
  });
});
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.cleanup()));
  for (const tag of localTags.splice(0)) await docker(['rmi', tag]);
});
afterAll(async () => {
  await composeServer?.close();
});

/** A test stack whose images come from the release namespace and whose compose file is fetched per release. */
async function releaseStack(name: string, options: { registry?: string; localCompose?: boolean } = {}): Promise<TestStack> {
  const stack = await createTestStack({ name });
  stacks.push(stack);
  let text = (await readFile(stack.stackFile, 'utf8')).replace(/^registry: .*$/m, `registry: ${options.registry ?? stack.registry}/${NAMESPACE}`);
  if (!options.localCompose) text = text.replace(/^compose: .*$/m, `compose: ${composeServer.url}/{ref}/docker-compose.yml`);
  await writeFile(stack.stackFile, text);
  return stack;
}

const install = (stack: TestStack, extra: string[] = []) =>
  runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir, ...extra], { pinTag: false });

async function apiImage(stack: TestStack): Promise<string> {
  const api = (await containersOf(stack.project)).find((container) => container.service === 'api');
  return api?.image ?? '(no api container)';
}

describe('install and update real releases (OCI index, revision label, compose file per commit)', () => {
  it('without --tag installs the newest stable release, from the compose file of its commit, running the amd64 image', async () => {
    const stack = await releaseStack('newest');
    const result = await install(stack, ['--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const plan = jsonLines(result.stdout).find((event) => event.type === 'plan');
    expect(plan).toMatchObject({ version: 'v1.1.0', versionReason: `newest stable in ${stack.registry}/${NAMESPACE}/openmates-api`, composeCommit: COMMIT['v1.1.0'] });
    expect(finalObject(result.stdout)).toMatchObject({ ok: true, version: 'v1.1.0' });
    expect(composeServer.requests).toContain(`/${COMMIT['v1.1.0']}/docker-compose.yml`);

    expect(await apiImage(stack)).toBe(`${stack.registry}/${NAMESPACE}/openmates-api:v1.1.0`);
    expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toEqual({ status: 'healthy', version: 'v1.1.0' });
    expect((await dockerOk(['image', 'inspect', '--format', '{{.Architecture}}', `${stack.registry}/${NAMESPACE}/openmates-api:v1.1.0`])).trim()).toBe('amd64');
    const status = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(status).toMatchObject({ installed: true, healthy: true, version: 'v1.1.0' });
  });

  it('--tag installs an older release; update --check names the commit it will use; update ends healthy on the newest with the data kept', async () => {
    const stack = await releaseStack('older');
    const installed = await install(stack, ['--tag', 'v1.0.0']);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('Version v1.0.0: pinned with --tag');
    expect(composeServer.requests).toContain(`/${COMMIT['v1.0.0']}/docker-compose.yml`);
    await writeFileInVolume(stack.dataVolumes[0]!, 'marker.txt', 'written on v1.0.0');

    const check = await runCli(['server', 'update', '--check', '--path', stack.installDir]);
    expect(check.exitCode, check.stderr).toBe(0);
    expect(check.stdout).toContain('v1.0.0 → v1.1.0');
    expect(check.stdout).toContain(`from commit ${COMMIT['v1.1.0']}`);
    const checkJson = finalObject((await runCli(['server', 'update', '--check', '--json', '--path', stack.installDir])).stdout);
    expect(checkJson).toMatchObject({ target: 'v1.1.0', targetCommit: COMMIT['v1.1.0'] });

    const updated = await runCli(['server', 'update', '--yes', '--json', '--path', stack.installDir]);
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(finalObject(updated.stdout)).toMatchObject({ ok: true, outcome: 'updated', version: 'v1.1.0' });
    expect(await apiImage(stack)).toBe(`${stack.registry}/${NAMESPACE}/openmates-api:v1.1.0`);
    expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toEqual({ status: 'healthy', version: 'v1.1.0' });
    expect(await readFileInVolume(stack.dataVolumes[0]!, 'marker.txt')).toBe('written on v1.0.0');
  });

  it('a release without the label: its compose file comes from the tag\'s path, with a note', async () => {
    const stack = await releaseStack('nolabel');
    const result = await install(stack, ['--tag', 'v1.0.1']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${stack.registry}/${NAMESPACE}/openmates-api:v1.0.1 has no org.opencontainers.image.revision label`);
    expect(composeServer.requests).toContain('/v1.0.1/docker-compose.yml');
    expect(await apiImage(stack)).toBe(`${stack.registry}/${NAMESPACE}/openmates-api:v1.0.1`);
  });

  it('a compose file missing at the release\'s commit: exit 6 naming the URL, the release and --stack; nothing started', async () => {
    const stack = await releaseStack('nocompose');
    const result = await install(stack, ['--tag', 'v0.9.0']);
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain(`Could not download the compose file of v0.9.0 (commit ${COMMIT['v0.9.0']}) from ${composeServer.url}/${COMMIT['v0.9.0']}/docker-compose.yml: HTTP 404.`);
    expect(result.stderr).toContain('--stack FILE');
    expect(await containersOf(stack.project)).toEqual([]);
  });

  it('--tag of a version the registry lacks: exit 6 naming the nearest', async () => {
    const stack = await releaseStack('notag');
    const result = await install(stack, ['--tag', 'v1.0.5']);
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain(`v1.0.5 does not exist in ${stack.registry}/${NAMESPACE}/openmates-api; the nearest versions are v1.2.0-rc.1, v1.1.0, v1.0.1, v1.0.0.`);
  });

  it('the registry down: a fresh install falls back to the stack\'s tag with a warning; the repair after keeps the installed version without it', async () => {
    const deadRegistry = `127.0.0.1:${await freePort()}`;
    // What a server that pulled before would have: the images under the (now unreachable) registry's name.
    for (const image of FIXTURE_IMAGES) {
      const source = `${testEnv().registry}/${NAMESPACE}/${image}:v1.0.0`;
      const local = `${deadRegistry}/${NAMESPACE}/${image}:v1.0.0`;
      await dockerOk(['pull', source], { timeoutMs: 120_000 });
      await dockerOk(['tag', source, local]);
      localTags.push(local);
    }
    const stack = await releaseStack('regdown', { registry: deadRegistry, localCompose: true });
    const fresh = await install(stack);
    expect(fresh.exitCode, fresh.stderr).toBe(0);
    expect(fresh.stderr).toContain(`Cannot list the versions of ${deadRegistry}/${NAMESPACE}/openmates-api`);
    expect(fresh.stderr).toContain("installing the stack's fallback tag v1.0.0");
    expect(await apiImage(stack)).toBe(`${deadRegistry}/${NAMESPACE}/openmates-api:v1.0.0`);

    const repair = await install(stack);
    expect(repair.exitCode, repair.stderr).toBe(0);
    expect(repair.stderr).toContain('Version v1.0.0: the installed version');
    expect(repair.stderr).not.toContain('fallback');
  });
});
