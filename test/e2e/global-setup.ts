/**
 * Runs once before the e2e tests. Loads <repo>/.test-engine/env into process.env and FAILS (never
 * skips) when the engine, the registry, the fixture images, either Compose or chromium are not
 * ready, saying what to run.
 * Before and after, it removes test stacks and CLI homes that this run (or a crashed earlier one)
 * left behind.
 */
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { removeIsolatedHomes } from './harness/cli.js';
import { composeCli } from './harness/docker.js';
import { testCompose, ENGINE_ENV_FILE, FIXTURE_IMAGES, FIXTURE_NAMESPACE, FIXTURE_TAGS, readEngineEnvFile, RUN_PID_VARIABLE } from './harness/env.js';
import { removeLeftoverTestStacks } from './harness/testStack.js';
import { CHROMIUM } from './web-browser.js';

const FIX = 'Run `npm test` (scripts/test.sh), or scripts/test-env/start-engine.sh then scripts/test-env/build-fixture-images.sh.';

async function registryTags(registry: string, repository: string): Promise<string[]> {
  const response = await fetch(`http://${registry}/v2/${repository}/tags/list`, { signal: AbortSignal.timeout(5_000) });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`the registry answered ${response.status} for ${repository}/tags/list`);
  const body = (await response.json()) as { tags?: string[] | null };
  return body.tags ?? [];
}

export default async function setup(): Promise<() => Promise<void>> {
  Object.assign(process.env, readEngineEnvFile());
  process.env[RUN_PID_VARIABLE] = String(process.pid);
  const dockerHost = process.env.DOCKER_HOST;
  const registry = process.env.OPENMATES_TEST_REGISTRY;
  if (!dockerHost || !registry) {
    throw new Error(`e2e: no test engine configured (${ENGINE_ENV_FILE} missing, DOCKER_HOST / OPENMATES_TEST_REGISTRY unset). ${FIX}`);
  }

  const engine = await execa('docker', ['version', '--format', '{{.Server.Version}}'], {
    env: { DOCKER_HOST: dockerHost },
    reject: false,
    timeout: 10_000,
  });
  if (engine.exitCode !== 0) {
    throw new Error(`e2e: the Docker engine at DOCKER_HOST=${dockerHost} does not answer: ${String(engine.stderr).trim()}. ${FIX}`);
  }

  try {
    const ping = await fetch(`http://${registry}/v2/`, { signal: AbortSignal.timeout(5_000) });
    if (!ping.ok) throw new Error(`status ${ping.status}`);
  } catch (error) {
    throw new Error(`e2e: the test registry at http://${registry}/v2/ does not answer (${(error as Error).message}). ${FIX}`);
  }

  const missing: string[] = [];
  for (const image of FIXTURE_IMAGES) {
    const tags = await registryTags(registry, `${FIXTURE_NAMESPACE}/${image}`);
    for (const tag of FIXTURE_TAGS) if (!tags.includes(tag)) missing.push(`${FIXTURE_NAMESPACE}/${image}:${tag}`);
  }
  if (!(await registryTags(registry, `${FIXTURE_NAMESPACE}/toolbox`)).includes('latest')) missing.push(`${FIXTURE_NAMESPACE}/toolbox:latest`);
  if (missing.length > 0) throw new Error(`e2e: the test registry ${registry} lacks fixture images: ${missing.join(', ')}. ${FIX}`);

  // Throws when one does not work: the suite runs on OPENMATES_TEST_COMPOSE (default v2), and the v1 → v2 tests need both.
  await composeCli('v1');
  await composeCli('v2');
  console.warn(`e2e: on Compose ${testCompose()} (${(await composeCli()).join(' ')}); OPENMATES_TEST_COMPOSE=v1|v2 switches`);

  if (!existsSync(CHROMIUM)) throw new Error(`e2e: no chromium at ${CHROMIUM} for the web page's browser tests. Run \`bash scripts/test-env/ensure-tools.sh\` (as root), or set OPENMATES_TEST_CHROMIUM.`);

  removeIsolatedHomes();
  const stale = await removeLeftoverTestStacks();
  if (stale.length > 0) console.warn(`e2e: removed test stacks left behind by an earlier run: ${stale.join(', ')}`);

  return async () => {
    removeIsolatedHomes();
    const leftovers = await removeLeftoverTestStacks();
    if (leftovers.length > 0) console.warn(`e2e: removed test stacks the tests did not clean up: ${leftovers.join(', ')}`);
  };
}
