import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOpenmatesError } from '../../../src/core/errors.js';
import { checkComposeFile } from '../../../src/core/install/compose-file-check.js';
import { EnvFile } from '../../../src/core/install/env-file.js';
import { installLayout } from '../../../src/core/install-dir.js';
import { parseStack } from '../../../src/core/stack/load.js';
import type { ComposeCli, ComposeProject } from '../../../src/docker/types.js';

const STACK = `
name: upstream-like
compose: ./docker-compose.yml
composePath: backend/core/docker-compose.yml
registry: registry.local/openmates
registryVariable: OPENMATES_IMAGE_REGISTRY
tagVariable: OPENMATES_IMAGE_TAG
tag: v1.0.0
versionImage: openmates-api
env:
  DATA_DIR: "{installDir}/data"
secrets:
  - name: DATABASE_PASSWORD
    hex: 16
`;

/** Compose whose `config -q` answers `rejects`, recording what it saw on disk while it ran. */
class CheckingCompose implements ComposeCli {
  readonly command: string;
  seen: { project: ComposeProject; env: string; envMode: number; envFileBesideRoot: boolean; composeSource: string }[] = [];
  constructor(
    readonly version: string,
    private readonly rejects: string[] = [],
  ) {
    this.command = version.startsWith('1.') ? 'docker-compose' : 'docker compose';
  }
  async validate(project: ComposeProject) {
    this.seen.push({
      project,
      env: readFileSync(project.envFile, 'utf8'),
      envMode: statSync(project.envFile).mode & 0o777,
      // env_file: ../../.env from backend/core/ must find the same file.
      envFileBesideRoot: existsSync(join(dirname(project.composeFile), '..', '..', '.env')),
      composeSource: readFileSync(project.composeFile, 'utf8'),
    });
    return this.rejects;
  }
  async up() {}
  async down() {}
  async stop() {}
  async start() {}
  async waitForOtherRuns() {
    return [];
  }
}

function input(compose: CheckingCompose, composeSource: string, existingEnv?: EnvFile) {
  const layout = installLayout(mkdtempSync(join(tmpdir(), 'omt-check-')));
  return { compose, stack: parseStack(STACK, 'stack.yml'), layout, composeSource, origin: './docker-compose.yml', existingEnv };
}

const WITH_NAME = 'name: openmates\nservices:\n  api:\n    image: x\n';
const WITHOUT_NAME = 'services:\n  api:\n    image: x\n    env_file: ../../.env\n';

describe('checkComposeFile', () => {
  it('lets Compose read a copy laid out like the install, with a 0600 .env it then removes', async () => {
    const compose = new CheckingCompose('2.26.1');
    const check = await checkComposeFile(input(compose, WITHOUT_NAME));
    expect(check).toEqual({ name: 'Compose file', level: 'ok', detail: 'accepted by docker compose 2.26.1' });
    const [seen] = compose.seen;
    expect(seen!.composeSource).toBe(WITHOUT_NAME);
    expect(seen!.envFileBesideRoot).toBe(true);
    expect(seen!.envMode).toBe(0o600);
    expect(seen!.env).toMatch(/^DATABASE_PASSWORD=[0-9a-f]{32}$/m);
    expect(seen!.env).toMatch(/^OPENMATES_IMAGE_TAG=v1\.0\.0$/m);
    expect(seen!.env).toMatch(/^DATA_DIR=\/.*omt-check-.*\/data$/m);
    expect(existsSync(seen!.project.envFile)).toBe(false);
  });

  it("uses the install's own .env when there is one", async () => {
    const compose = new CheckingCompose('2.26.1');
    await checkComposeFile(input(compose, WITHOUT_NAME, EnvFile.parse('DATABASE_PASSWORD=kept\nMY_OWN=1\n')));
    expect(compose.seen[0]!.env).toMatch(/^DATABASE_PASSWORD=kept$/m);
    expect(compose.seen[0]!.env).toMatch(/^MY_OWN=1$/m);
  });

  it('says "this stack needs Compose v2" for a top-level name: under v1, without asking Compose', async () => {
    const compose = new CheckingCompose('1.29.2');
    const check = await checkComposeFile(input(compose, WITH_NAME));
    expect(check.level).toBe('error');
    expect(check.detail).toBe('this stack needs Compose v2: docker-compose 1.29.2 (Compose v1) cannot read its top-level `name:`');
    expect(check.hint).toMatch(/docker-compose-plugin/);
    expect(compose.seen).toHaveLength(0);
  });

  it("reads v1's own rejection of another v2-only top-level key the same way", async () => {
    const compose = new CheckingCompose('1.29.2', ["The Compose file './docker-compose.yml' is invalid because:", "'include' does not match any of the regexes: '^x-'"]);
    const check = await checkComposeFile(input(compose, WITHOUT_NAME));
    expect(check.detail).toMatch(/needs Compose v2: .* cannot read its top-level `include:`/);
  });

  it("any other rejection is an invalid stack with Compose's cause", async () => {
    const compose = new CheckingCompose('2.26.1', ['validating /tmp/x/docker-compose.yml: services.api Additional property bogus is not allowed']);
    const error = await checkComposeFile(input(compose, WITHOUT_NAME)).catch((caught: unknown) => caught);
    expect(isOpenmatesError(error) && error.kind).toBe('invalid-stack');
    expect(isOpenmatesError(error) && error.message).toBe(
      'docker compose 2.26.1 rejects the compose file ./docker-compose.yml: validating /tmp/x/docker-compose.yml: services.api Additional property bogus is not allowed.',
    );
  });
});
