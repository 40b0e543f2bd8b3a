/**
 * Where the e2e tests find their engine and registry: <repo>/.test-engine/env, written by
 * scripts/test-env/start-engine.sh (values there win), else process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ENGINE_ENV_FILE = join(REPO_ROOT, '.test-engine', 'env');
/** Records of the test stacks made by this checkout, so a crashed run's leftovers can be removed. */
export const STACK_RECORDS_DIR = join(REPO_ROOT, '.test-engine', 'stacks');
/** The namespace the fixture images are pushed under in the test registry. */
export const FIXTURE_NAMESPACE = 'openmates-test';
export const FIXTURE_IMAGES = ['openmates-api', 'openmates-webapp', 'openmates-database', 'openmates-cache', 'openmates-setup'] as const;
export const FIXTURE_TAGS = ['v1.0.0', 'v1.1.0', 'v1.2.0'] as const;
/** The release whose api never becomes healthy. */
export const BROKEN_TAG = 'v1.2.0';

/** Set by the e2e global setup to its pid: what a test run leaves behind carries it, so a run cleans up only its own. */
export const RUN_PID_VARIABLE = 'OPENMATES_TEST_RUN_PID';

/** The test run this process belongs to: the vitest main process's pid (or this process's, outside vitest). */
export function runPid(): number {
  return Number(process.env[RUN_PID_VARIABLE]) || process.pid;
}

/** Whether a process exists (it may belong to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface TestEnv {
  /** e.g. unix:///tmp/openmates-test-engine/docker.sock */
  dockerHost: string;
  /** host:port of the test registry, e.g. 127.0.0.1:5055 (plain http) */
  registry: string;
}

/** Parses the `export NAME=value` lines start-engine.sh writes (values quoted like bash's printf %q). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const [, name, value] = match as unknown as [string, string, string];
    vars[name] = unquote(value);
  }
  return vars;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(.)/g, '$1');
  return value.replace(/\\(.)/g, '$1');
}

export function readEngineEnvFile(): Record<string, string> {
  return existsSync(ENGINE_ENV_FILE) ? parseEnvFile(readFileSync(ENGINE_ENV_FILE, 'utf8')) : {};
}

let cached: TestEnv | undefined;

/** The engine and registry the tests use; throws one clear sentence when they are not configured. */
export function testEnv(): TestEnv {
  if (cached) return cached;
  const file = readEngineEnvFile();
  const dockerHost = file.DOCKER_HOST ?? process.env.DOCKER_HOST;
  const registry = file.OPENMATES_TEST_REGISTRY ?? process.env.OPENMATES_TEST_REGISTRY;
  if (!dockerHost || !registry) {
    throw new Error(
      `The test engine is not configured: ${ENGINE_ENV_FILE} is missing and DOCKER_HOST / OPENMATES_TEST_REGISTRY are not set. ` +
        'Run scripts/test.sh, or scripts/test-env/start-engine.sh and scripts/test-env/build-fixture-images.sh.',
    );
  }
  cached = { dockerHost, registry };
  return cached;
}

/** The fixture image reference, e.g. 127.0.0.1:5055/openmates-test/openmates-api:v1.0.0. */
export function fixtureImage(name: string, tag: string): string {
  return `${testEnv().registry}/${FIXTURE_NAMESPACE}/${name}:${tag}`;
}

/** The busybox helper image used to reach into volumes. */
export function toolboxImage(): string {
  return `${testEnv().registry}/${FIXTURE_NAMESPACE}/toolbox:latest`;
}

/** Which Compose the e2e tests run on: OPENMATES_TEST_COMPOSE=v1 | v2 (default v2, what users run). */
export type TestCompose = 'v1' | 'v2';
export const TEST_COMPOSE_VARIABLE = 'OPENMATES_TEST_COMPOSE';

export function testCompose(): TestCompose {
  const value = process.env[TEST_COMPOSE_VARIABLE]?.trim() || 'v2';
  if (value !== 'v1' && value !== 'v2') throw new Error(`${TEST_COMPOSE_VARIABLE}=${value}: use v1 or v2 (default v2)`);
  return value;
}

/** The CLI's own choice (OPENMATES_COMPOSE) that makes it use the Compose under test. */
export function composeChoiceEnv(compose: TestCompose = testCompose()): { OPENMATES_COMPOSE: TestCompose } {
  return { OPENMATES_COMPOSE: compose };
}
