/**
 * Small Docker helpers for assertions ("the file is still in the volume", "the volume is gone").
 * They go through the docker CLI with the test engine's DOCKER_HOST, never the user's default.
 */
import { execa } from 'execa';
import { testCompose, testEnv, toolboxImage, type TestCompose } from './env.js';

export interface DockerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker <args>` against the test engine; never throws for a non-zero exit. */
export async function docker(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<DockerResult> {
  const result = await execa('docker', args, {
    env: { DOCKER_HOST: testEnv().dockerHost },
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 60_000,
    reject: false,
    stripFinalNewline: true,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Like docker(), but throws with docker's stderr when it fails. */
export async function dockerOk(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.exitCode !== 0) {
    throw new Error(`docker ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return result.stdout;
}

export async function volumeExists(name: string): Promise<boolean> {
  return (await docker(['volume', 'inspect', name])).exitCode === 0;
}

export async function networkExists(name: string): Promise<boolean> {
  return (await docker(['network', 'inspect', name])).exitCode === 0;
}

export async function imageExists(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref])).exitCode === 0;
}

/** Removes local copies of images (so the next install really pulls); missing ones are fine. */
export async function removeLocalImages(refs: string[]): Promise<void> {
  for (const ref of refs) {
    if (await imageExists(ref)) await dockerOk(['rmi', ref]);
  }
}

function volumePath(path: string): string {
  const clean = path.replace(/^\/+/, '');
  if (clean === '' || clean.split('/').includes('..')) throw new Error(`not a path inside a volume: ${path}`);
  return `/volume/${clean}`;
}

function helperRun(volume: string, readOnly: boolean, command: string[]): string[] {
  return [
    'run', '--rm', '-i', '--network', 'none', '--label', 'org.openmates.test.helper=true',
    '-v', `${volume}:/volume${readOnly ? ':ro' : ''}`, toolboxImage(), ...command,
  ];
}

/** Writes a file into a volume (creating the volume if it does not exist) through a helper container. */
export async function writeFileInVolume(volume: string, path: string, content: string): Promise<void> {
  const target = volumePath(path);
  await dockerOk(helperRun(volume, false, ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'write', target]), {
    input: content,
  });
}

/** Reads a file from a volume; throws when the volume or the file is missing. */
export async function readFileInVolume(volume: string, path: string): Promise<string> {
  if (!(await volumeExists(volume))) throw new Error(`volume ${volume} does not exist`);
  return dockerOk(helperRun(volume, true, ['cat', volumePath(path)]));
}

export async function fileExistsInVolume(volume: string, path: string): Promise<boolean> {
  if (!(await volumeExists(volume))) return false;
  return (await docker(helperRun(volume, true, ['test', '-e', volumePath(path)]))).exitCode === 0;
}

export interface ProjectContainer {
  id: string;
  /** Without the leading "/". */
  name: string;
  service: string;
  image: string;
  /** Docker's state word: running, exited, created, restarting, ... */
  state: string;
  /** The healthcheck status, when the container has one. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  exitCode: number;
  labels: Record<string, string>;
}

interface InspectedContainer {
  Id: string;
  Name: string;
  Config: { Image: string; Labels: Record<string, string> | null };
  State: { Status: string; ExitCode: number; Health?: { Status: 'starting' | 'healthy' | 'unhealthy' } };
}

/** Every container (running or not) of a Compose project, selected by com.docker.compose.project. */
export async function containersOf(project: string): Promise<ProjectContainer[]> {
  const ids = (await dockerOk(['ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`]))
    .split('\n')
    .filter(Boolean);
  if (ids.length === 0) return [];
  const inspected = JSON.parse(await dockerOk(['inspect', ...ids])) as InspectedContainer[];
  return inspected
    .map((c): ProjectContainer => {
      const labels = c.Config.Labels ?? {};
      return {
        id: c.Id,
        name: c.Name.replace(/^\//, ''),
        service: labels['com.docker.compose.service'] ?? '',
        image: c.Config.Image,
        state: c.State.Status,
        ...(c.State.Health ? { health: c.State.Health.Status } : {}),
        exitCode: c.State.ExitCode,
        labels,
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** The one container of a service; throws when there is none or more than one. */
export async function serviceContainer(project: string, service: string): Promise<ProjectContainer> {
  const matches = (await containersOf(project)).filter((c) => c.service === service);
  if (matches.length !== 1) throw new Error(`expected one container for ${project}/${service}, found ${matches.length}`);
  return matches[0]!;
}

const composeCommands = new Map<TestCompose, Promise<string[]>>();

/**
 * How to run the Compose under test (OPENMATES_TEST_COMPOSE, default v2): `docker compose` for v2,
 * `docker-compose` (which must be 1.x) for v1. Throws when that one does not work.
 */
export function composeCli(which: TestCompose = testCompose()): Promise<string[]> {
  let command = composeCommands.get(which);
  if (!command) {
    command = (async () => {
      const argv = which === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
      const result = await execa(argv[0]!, [...argv.slice(1), 'version', '--short'], { reject: false });
      const version = String(result.stdout).trim();
      if (result.exitCode !== 0) throw new Error(`\`${argv.join(' ')}\` (Compose ${which}) does not work; run scripts/test-env/ensure-tools.sh as root`);
      if ((which === 'v1') !== version.startsWith('1.')) throw new Error(`\`${argv.join(' ')}\` is Compose ${version}, not ${which}`);
      return argv;
    })();
    composeCommands.set(which, command);
  }
  return command;
}

/** Runs Compose for a project against the test engine; never throws for a non-zero exit. */
export async function compose(
  project: { project: string; composeFile: string; envFile: string },
  args: string[],
  timeoutMs = 120_000,
  which: TestCompose = testCompose(),
): Promise<DockerResult> {
  const [command, ...prefix] = await composeCli(which);
  const result = await execa(command!, [...prefix, '-p', project.project, '-f', project.composeFile, '--env-file', project.envFile, ...args], {
    env: { DOCKER_HOST: testEnv().dockerHost },
    input: '',
    timeout: timeoutMs,
    reject: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
