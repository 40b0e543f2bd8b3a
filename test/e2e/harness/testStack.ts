/**
 * A private copy of the fixture stack (test/fixtures/stack/) per test: a unique id ("omt-..."),
 * free ports, its own network and volume names, a fresh install dir, and a cleanup that removes
 * exactly what belongs to that id and nothing else.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from './docker.js';
import { FIXTURE_NAMESPACE, processAlive, REPO_ROOT, runPid, STACK_RECORDS_DIR, testEnv } from './env.js';

export const FIXTURE_STACK_DIR = join(REPO_ROOT, 'test', 'fixtures', 'stack');
/** The stack that uses every Compose feature upstream's compose file uses. */
export const UPSTREAM_LIKE_STACK_DIR = join(REPO_ROOT, 'test', 'fixtures', 'upstream-like-stack');

/** The test engine's socket path, for a stack that bind-mounts the Docker socket (never the system's). */
function testEngineSocket(dockerHost: string): string {
  if (!dockerHost.startsWith('unix://')) throw new Error(`a stack that mounts the Docker socket needs a unix:// test engine, not ${dockerHost}`);
  return dockerHost.slice('unix://'.length);
}

export interface TestStack {
  /** Unique id, "omt-<name>-<random>": the stack's name, so the Compose project and the prefix of every name. */
  id: string;
  /** The Compose project name (= the stack's `name`). */
  project: string;
  /** Temp dir holding the rendered stack.yml and its docker-compose.yml. */
  dir: string;
  /** The rendered stack file, for `openmates ... --stack <stackFile>`. */
  stackFile: string;
  /** The fixture compose file beside it. */
  composeFile: string;
  /** A fresh, empty temp dir to install into. */
  installDir: string;
  tag: string;
  apiPort: number;
  webPort: number;
  apiUrl: string;
  webUrl: string;
  /** The external network the stack declares. */
  network: string;
  dataVolumes: string[];
  cacheVolumes: string[];
  /** The test registry, host:port (plain http), e.g. 127.0.0.1:5055. */
  registry: string;
  /** The stack's `registry` value: registry + namespace, e.g. 127.0.0.1:5055/openmates-test. */
  imageRegistry: string;
  /**
   * Every variable the compose file needs, with throwaway secrets: for driving Compose directly
   * (e.g. `docker-compose -p <project> -f <composeFile> --env-file <file> config`).
   */
  composeEnv(overrides?: Record<string, string>): Record<string, string>;
  /** Writes composeEnv() as an env file (default: <dir>/test.env) and returns its path. */
  writeComposeEnvFile(overrides?: Record<string, string>, path?: string): string;
  /** Removes the project's containers, its network and volumes (by exact name) and the temp dirs. */
  cleanup(): Promise<void>;
}

export interface TestStackOptions {
  /** Image tag the stack installs; default v1.0.0 (the template's). */
  tag?: string;
  /** A word that goes into the id, to tell stacks apart in `docker ps`: lower-case letters, digits, "-". */
  name?: string;
  /** Another fixture stack: a directory with stack.template.yml and docker-compose.yml (default: test/fixtures/stack). */
  fixtureDir?: string;
  /** Changes the fixture's compose file before it is written (e.g. drops what Compose v1 cannot read). */
  transformCompose?: (source: string) => string;
}

interface StackRecord {
  id: string;
  /** The test run (vitest main process) that made the stack. */
  runPid: number;
  project: string;
  network: string;
  volumes: string[];
  dirs: string[];
}

const handedOutPorts = new Set<number>();

/** A TCP port free on 127.0.0.1 right now, never the same twice in this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolvePort, reject) => {
      const server = createServer();
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const found = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolvePort(found));
      });
    });
    if (port > 0 && !handedOutPorts.has(port)) {
      handedOutPorts.add(port);
      return port;
    }
  }
  throw new Error('no free TCP port found on 127.0.0.1');
}

/** Whether nothing listens on 127.0.0.1:port (a container publishing it would). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

function slug(name: string | undefined): string {
  if (!name) return '';
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 20);
  return cleaned ? `${cleaned}-` : '';
}

export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const env = testEnv();
  const id = `omt-${slug(options.name)}${randomBytes(4).toString('hex')}`;
  const tag = options.tag ?? 'v1.0.0';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new Error(`not a Docker tag: ${tag}`);
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const network = `${id}-net`;
  const dataVolumes = [`${id}-postgres-data`];
  const cacheVolumes = [`${id}-cache-data`];
  const imageRegistry = `${env.registry}/${FIXTURE_NAMESPACE}`;

  const dir = mkdtempSync(join(tmpdir(), `${id}-stack-`));
  const installDir = mkdtempSync(join(tmpdir(), `${id}-install-`));
  const record: StackRecord = { id, runPid: runPid(), project: id, network, volumes: [...dataVolumes, ...cacheVolumes], dirs: [dir, installDir] };
  mkdirSync(STACK_RECORDS_DIR, { recursive: true });
  writeFileSync(join(STACK_RECORDS_DIR, `${id}.json`), JSON.stringify(record, null, 2));

  const fixtureDir = options.fixtureDir ?? FIXTURE_STACK_DIR;
  const template = readFileSync(join(fixtureDir, 'stack.template.yml'), 'utf8');
  const rendered = template
    .replaceAll('__STACK_ID__', id)
    .replaceAll('__API_PORT__', String(apiPort))
    .replaceAll('__WEB_PORT__', String(webPort))
    .replaceAll('__REGISTRY__', env.registry)
    .replaceAll('__DOCKER_SOCKET__', () => testEngineSocket(env.dockerHost))
    .replace(/^tag: .*$/m, `tag: ${tag}`);
  const leftover = /__[A-Z_]+__/.exec(rendered);
  if (leftover) throw new Error(`stack.template.yml has a placeholder the harness does not fill: ${leftover[0]}`);
  const stackFile = join(dir, 'stack.yml');
  const composeFile = join(dir, 'docker-compose.yml');
  writeFileSync(stackFile, rendered);
  const composeSource = readFileSync(join(fixtureDir, 'docker-compose.yml'), 'utf8');
  writeFileSync(composeFile, options.transformCompose ? options.transformCompose(composeSource) : composeSource);

  const composeEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
    OPENMATES_IMAGE_REGISTRY: imageRegistry,
    OPENMATES_IMAGE_TAG: tag,
    STACK_ID: id,
    NETWORK_NAME: network,
    API_PORT: String(apiPort),
    WEB_PORT: String(webPort),
    DATABASE_PASSWORD: 'test-database-password',
    DRAGONFLY_PASSWORD: 'test-dragonfly-password',
    SELF_HOST_FIRST_INVITE_CODE: '1234-5678-9012',
    ...overrides,
  });

  return {
    id,
    project: id,
    dir,
    stackFile,
    composeFile,
    installDir,
    tag,
    apiPort,
    webPort,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    webUrl: `http://127.0.0.1:${webPort}`,
    network,
    dataVolumes,
    cacheVolumes,
    registry: env.registry,
    imageRegistry,
    composeEnv,
    writeComposeEnvFile(overrides = {}, path = join(dir, 'test.env')) {
      const lines = Object.entries(composeEnv(overrides)).map(([key, value]) => `${key}=${value}`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    },
    cleanup: () => removeStack(record),
  };
}

/** Removes what a stack record names. Collects failures and reports them together at the end. */
async function removeStack(record: StackRecord): Promise<void> {
  const problems: string[] = [];
  const run = async (args: string[]): Promise<string> => {
    const result = await docker(args, { timeoutMs: 120_000 });
    if (result.exitCode !== 0) problems.push(`docker ${args.join(' ')}: ${result.stderr.trim()}`);
    return result.stdout;
  };
  const projectLabel = `label=com.docker.compose.project=${record.project}`;

  const containers = (await run(['ps', '-aq', '--filter', projectLabel])).split('\n').filter(Boolean);
  if (containers.length > 0) await run(['rm', '-f', '-v', ...containers]);

  const labelledNetworks = (await run(['network', 'ls', '-q', '--filter', projectLabel])).split('\n').filter(Boolean);
  for (const network of [record.network, `${record.project}_default`, ...labelledNetworks]) {
    if ((await docker(['network', 'inspect', network])).exitCode !== 0) continue;
    const problem = await removeNetwork(network);
    if (problem) problems.push(problem);
  }

  const labelledVolumes = (await run(['volume', 'ls', '-q', '--filter', projectLabel])).split('\n').filter(Boolean);
  for (const volume of new Set([...record.volumes, ...labelledVolumes])) {
    if ((await docker(['volume', 'inspect', volume])).exitCode === 0) await run(['volume', 'rm', volume]);
  }

  for (const dir of record.dirs) rmSync(dir, { recursive: true, force: true });
  rmSync(join(STACK_RECORDS_DIR, `${record.id}.json`), { force: true });
  if (problems.length > 0) throw new Error(`cleanup of test stack ${record.id} left things behind:\n${problems.join('\n')}`);
}

/**
 * Removes a network; returns what went wrong, if anything. A network whose removal says "has active
 * endpoints" while it lists no container is the engine's stale-endpoint bug (moby/moby#33156,
 * #23302; seen on Debian's dockerd 20.10 after 6 containers were force-removed at once): nothing of
 * the stack is left to blame, so it is tried again for a while and then reported on stderr, not as
 * a leftover. A network that still lists containers is a leftover.
 */
async function removeNetwork(network: string): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    const removed = await docker(['network', 'rm', network], { timeoutMs: 120_000 });
    if (removed.exitCode === 0) return undefined;
    const failure = `docker network rm ${network}: ${removed.stderr.trim()}`;
    if (!/has active endpoints/.test(removed.stderr)) return failure;
    const attached = await docker(['network', 'inspect', network, '--format', '{{range .Containers}}{{.Name}} {{end}}']);
    const names = attached.stdout.trim();
    if (attached.exitCode !== 0) return failure;
    if (names !== '') return `${failure} (still attached: ${names})`;
    if (attempt === 10) {
      process.stderr.write(`test stack cleanup: the engine keeps a stale endpoint on ${network} with no container attached (moby/moby#33156); the network stays until dockerd restarts\n`);
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function isOwnRecord(record: StackRecord): boolean {
  const ownName = (name: string) => name === record.id || name.startsWith(`${record.id}-`);
  return (
    /^omt-[a-z0-9-]+$/.test(record.id) &&
    Number.isInteger(record.runPid) &&
    record.project === record.id &&
    ownName(record.network) &&
    record.volumes.every(ownName) &&
    record.dirs.every((dir) => dir.startsWith(join(tmpdir(), `${record.id}-`)))
  );
}

/**
 * Removes the stacks this checkout recorded and nobody cleaned up: those of the current run (this
 * process) and those whose run is gone (crashed or killed). Another run's live stacks stay.
 */
export async function removeLeftoverTestStacks(): Promise<string[]> {
  let files: string[];
  try {
    files = readdirSync(STACK_RECORDS_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const file of files) {
    const record = JSON.parse(readFileSync(join(STACK_RECORDS_DIR, file), 'utf8')) as StackRecord;
    if (!isOwnRecord(record)) continue; // never act on a record that names anything outside its id
    if (record.runPid !== process.pid && processAlive(record.runPid)) continue;
    await removeStack(record);
    removed.push(record.id);
  }
  return removed;
}
