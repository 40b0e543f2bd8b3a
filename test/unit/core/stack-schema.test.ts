import { describe, expect, it } from 'vitest';
import { loadBuiltinStack } from '../../../src/core/stack/builtin.js';
import { parseStack } from '../../../src/core/stack/load.js';
import { OpenmatesError } from '../../../src/core/errors.js';

const minimal = `name: demo
compose: ./docker-compose.yml
registry: 127.0.0.1:5000/demo
registryVariable: IMAGE_REGISTRY
tag: v1.0.0
tagVariable: IMAGE_TAG
versionImage: demo-api
`;

function errorOf(text: string): OpenmatesError {
  try {
    parseStack(text, '/srv/stack.yml');
  } catch (error) {
    return error as OpenmatesError;
  }
  throw new Error('expected the stack to be rejected');
}

describe('stack file', () => {
  it('fills defaults for the optional keys', () => {
    const stack = parseStack(minimal, 'stack.yml');
    expect(stack.composePath).toBe('docker-compose.yml');
    expect(stack.healthTimeout).toBe(180);
    expect(stack.volumes).toEqual({ data: [], cache: [], notes: {} });
  });

  it('defaults a health check status to 200', () => {
    const stack = parseStack(`${minimal}health:\n  - { name: api, url: "http://127.0.0.1:8000/v1/health" }\n`, 'stack.yml');
    expect(stack.health[0]?.status).toBe(200);
  });

  it('names the file and the unknown key', () => {
    const error = errorOf(`${minimal}colour: blue\n`);
    expect(error.kind).toBe('invalid-stack');
    expect(error.message).toContain('/srv/stack.yml');
    expect(error.message).toContain('unknown key "colour"');
  });

  it('names a missing field and what was expected', () => {
    const error = errorOf(minimal.replace('versionImage: demo-api\n', ''));
    expect(error.message).toContain('field "versionImage" is missing (expected string)');
  });

  it('names the nested field of a bad value', () => {
    const error = errorOf(`${minimal}ports: [80, "eighty"]\n`);
    expect(error.message).toContain('field "ports[1]": expected number');
  });

  it('wants exactly one secret generator', () => {
    const error = errorOf(`${minimal}secrets:\n  - { name: TOKEN }\n`);
    expect(error.message).toContain('field "secrets[0]": exactly one generator');
  });

  it('refuses files that would be written outside the install dir', () => {
    const error = errorOf(`${minimal}files:\n  - { path: ../../etc/passwd, content: x }\n`);
    expect(error.message).toContain('field "files[0].path"');
  });

  it('reports YAML syntax errors with the line', () => {
    const error = errorOf('name: [\nfoo: bar\n');
    expect(error.message).toMatch(/not valid YAML \(line \d+\)/);
  });

  it('ships a valid built-in OpenMates stack that matches upstream facts', () => {
    const { stack } = loadBuiltinStack();
    expect(stack.name).toBe('openmates-core');
    expect(stack.composePath).toBe('backend/core/docker-compose.selfhost.yml');
    expect(stack.secrets.filter((secret) => secret.show).map((s) => s.name)).toEqual(['SELF_HOST_FIRST_INVITE_CODE']);
    expect(stack.volumes.data).toContain('openmates-vault-data');
    expect(stack.files.map((file) => file.path)).toEqual([
      'backend/core/vault/config/vault.hcl',
      'config/backend_config.yml',
    ]);
    expect(stack.files[1]!.content).toMatch(/^feature_overrides:\n {2}enabled: \[\]\n {2}disabled: \[\]$/m);
    expect(stack.env.GIT_WORK_DIR).toBe('{installDir}');
    expect(stack.env.DOCKER_GID).toBe('{dockerSocketGroup}');
    expect(stack.secrets.map((secret) => secret.name)).toContain('TUNNEL_TRIGGER_SECRET');
    // Upstream's compose file names exactly these volumes (no Prometheus).
    expect([...stack.volumes.data, ...stack.volumes.cache].sort()).toEqual([
      'openmates-api-logs',
      'openmates-cache-data',
      'openmates-celerybeat-schedule-data',
      'openmates-directus-extensions',
      'openmates-directus-uploads',
      'openmates-openobserve-data',
      'openmates-postgres-data',
      'openmates-vault-data',
      'openmates-vault-setup-data',
    ]);
    expect(stack.health[0]).toMatchObject({ name: 'api', json: { status: 'healthy' }, degraded: { json: { status: 'degraded' }, reasons: ['providers', 'apps', 'external_services'] } });
    expect(stack.directories).toContain('config/providers');
  });
});
