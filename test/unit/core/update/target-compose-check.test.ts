import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOpenmatesError } from '../../../../src/core/errors.js';
import { installLayout } from '../../../../src/core/install-dir.js';
import { parseStack } from '../../../../src/core/stack/load.js';
import { refuseComposeThatCannotRun } from '../../../../src/core/update/target-compose-check.js';
import type { ComposeCli } from '../../../../src/docker/types.js';

const STACK = 'name: om\ncompose: https://example.test/{ref}/docker-compose.yml\nregistry: r.test/om\nregistryVariable: OPENMATES_IMAGE_REGISTRY\ntag: v1.0.0\ntagVariable: OPENMATES_IMAGE_TAG\nversionImage: api\n';

function composeV(version: string, rejects: string[] = []): ComposeCli & { validated: number } {
  return {
    command: version.startsWith('1.') ? 'docker-compose' : 'docker compose',
    version,
    validated: 0,
    async validate() {
      this.validated += 1;
      return rejects;
    },
    async up() {},
    async down() {},
    async stop() {},
    async start() {},
    async waitForOtherRuns() {
      return [];
    },
  };
}

const installed = () => ({ layout: installLayout(mkdtempSync(join(tmpdir(), 'omt-target-'))), stack: parseStack(STACK, 'stack.yml'), stackSource: STACK, env: undefined, tag: 'v1.0.0', registry: 'r.test/om' });

describe('refuseComposeThatCannotRun', () => {
  it('refuses, before anything changes, a release whose compose file has a top-level name: on Compose v1', async () => {
    const error = await refuseComposeThatCannotRun(composeV('1.29.2'), installed(), 'v2.0.0', 'name: om\nservices:\n  api:\n    image: x\n').catch((caught: unknown) => caught);
    expect(isOpenmatesError(error) && error.kind).toBe('preflight');
    expect(isOpenmatesError(error) && error.message).toBe('Cannot update to v2.0.0: this stack needs Compose v2: docker-compose 1.29.2 (Compose v1) cannot read its top-level `name:`.');
    expect(isOpenmatesError(error) && error.hint).toMatch(/docker-compose-plugin.*Nothing was changed\.$/);
  });

  it('lets Compose v2 check it and goes on when Compose accepts it', async () => {
    const compose = composeV('2.26.1');
    await refuseComposeThatCannotRun(compose, installed(), 'v2.0.0', 'name: om\nservices:\n  api:\n    image: x\n');
    expect(compose.validated).toBe(1);
  });
});
