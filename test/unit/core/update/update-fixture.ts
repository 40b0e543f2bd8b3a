import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreDeps } from '../../../../src/core/deps.js';
import { OpenmatesError } from '../../../../src/core/errors.js';
import type { BackupTools, UpdateState } from '../../../../src/core/update/types.js';
import type { ComposeCli, ComposeProject } from '../../../../src/docker/types.js';
import { container, FakeEngine } from '../../fakes/fake-docker.js';

export const PROJECT = 'demo';
export const VOLUME = 'demo-postgres-data';

/** An install dir as install leaves it: stack copy, compose file, .env on `tag`. */
export function installDirOn(tag: string, registry = 'registry.test:5000/ns'): string {
  const dir = mkdtempSync(join(tmpdir(), 'omt-unit-run-update-'));
  writeFileSync(
    join(dir, 'openmates-stack.yml'),
    [
      '# the test stack',
      `name: ${PROJECT}`,
      'compose: ./docker-compose.yml',
      `registry: ${registry}`,
      'registryVariable: OPENMATES_IMAGE_REGISTRY',
      `tag: ${tag}`,
      'tagVariable: OPENMATES_IMAGE_TAG',
      'versionImage: openmates-api',
      'healthTimeout: 2',
      `volumes: { data: [${VOLUME}] }`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  api:\n    image: ${OPENMATES_IMAGE_REGISTRY}/openmates-api:${OPENMATES_IMAGE_TAG}\n');
  writeFileSync(join(dir, '.env'), `OPENMATES_IMAGE_REGISTRY=${registry}\nOPENMATES_IMAGE_TAG=${tag}\nDATABASE_PASSWORD=secret\n`, { mode: 0o600 });
  return dir;
}

export function envTag(dir: string): string | undefined {
  return /^OPENMATES_IMAGE_TAG=(.*)$/m.exec(readFileSync(join(dir, '.env'), 'utf8'))?.[1];
}

export function stackTag(dir: string): string | undefined {
  return /^tag: (.*)$/m.exec(readFileSync(join(dir, 'openmates-stack.yml'), 'utf8'))?.[1];
}

export function stateOnDisk(dir: string): UpdateState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'update-state.json'), 'utf8')) as UpdateState;
  } catch {
    return undefined;
  }
}

/** Compose that starts the api on the tag .env names: healthy, or unhealthy (and failing `up`) for a broken tag. */
export class TagCompose implements ComposeCli {
  readonly command = 'docker compose';
  readonly version = '2.99.0';
  /** Tags `up` started, in order. */
  ups: string[] = [];
  /** What the update state on disk was at each `up`. */
  statesAtUp: (UpdateState | undefined)[] = [];
  constructor(
    private readonly engine: FakeEngine,
    private readonly dir: string,
    readonly broken: Set<string>,
  ) {}
  async up(project: ComposeProject) {
    const tag = envTag(this.dir)!;
    this.ups.push(tag);
    this.statesAtUp.push(stateOnDisk(this.dir));
    const unhealthy = this.broken.has(tag);
    this.engine.containers = [container(project.name, 'api', { image: `api:${tag}`, health: unhealthy ? 'unhealthy' : 'healthy' })];
    this.engine.logs.set(`${project.name}-api-id`, [`openmates-api ${tag} starting`, `health: ${unhealthy ? 'unhealthy' : 'healthy'}`]);
    if (unhealthy) throw new OpenmatesError('operation-failed', 'Compose could not start the stack.', undefined, ['ERROR: for worker  Container "abc" is unhealthy.']);
  }
  async down() {
    this.engine.containers = [];
  }
  async stop() {}
  async start() {}
  async validate() {
    return [];
  }
  async waitForOtherRuns() {
    return [];
  }
}

/** Backup and restore that record what they were asked, what state was on disk then, and can fail. */
export function fakeBackupTools(dir: string, compose: TagCompose) {
  const calls: string[] = [];
  const states: Record<string, UpdateState | undefined> = {};
  const failures: { backup?: Error; restore?: Error } = {};
  const tools: BackupTools = {
    async createBackup(options) {
      calls.push(`backup ${options.reason}`);
      states.backup = stateOnDisk(dir);
      if (failures.backup) throw failures.backup;
      return { file: join(dir, 'backups', `${envTag(dir)}-pre-update.tar`), bytes: 1234, volumes: [VOLUME] };
    },
    async restoreBackup(options) {
      calls.push(`restore ${options.file}`);
      states.restore = stateOnDisk(dir);
      if (failures.restore) throw failures.restore;
      // Like the real restore: .env of the archive (the old tag), then the stack is started.
      await compose.up({ name: PROJECT, composeFile: join(dir, 'docker-compose.yml'), envFile: join(dir, '.env') });
      return {};
    },
  };
  return { tools, calls, states, failures };
}

export function fakeDeps(engine: FakeEngine, compose: TagCompose): CoreDeps {
  return { engine, compose: async () => compose };
}

/** A state file as a killed update leaves it (its pid long gone). */
export function writeInterruptedState(dir: string, state: Partial<UpdateState> & Pick<UpdateState, 'phase' | 'from' | 'to'>): void {
  const full: UpdateState = { format: 1, startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:01.000Z', pid: 2 ** 22 + 12345, newVersionStarted: false, ...state };
  writeFileSync(join(dir, 'update-state.json'), JSON.stringify(full));
}
