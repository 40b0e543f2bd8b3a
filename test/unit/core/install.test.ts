import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOperations } from '../../../src/core/create-operations.js';
import type { OperationEvent } from '../../../src/core/events.js';
import { OpenmatesError } from '../../../src/core/errors.js';
import { EnvFile } from '../../../src/core/install/env-file.js';
import { FakeCompose, FakeEngine, container } from '../fakes/fake-docker.js';

const compose = `services:
  setup:
    image: \${REG}/setup:\${TAG}
  db:
    image: \${REG}/db:\${TAG}
    depends_on:
      setup: { condition: service_completed_successfully }
  api:
    image: \${REG}/api:\${TAG}
`;

function stackText(extra = '') {
  return `name: demo
compose: ./compose.yml
registry: reg.local
registryVariable: REG
tag: v1.0.0
tagVariable: TAG
versionImage: api
env: { MODE: production, WORK_DIR: "{installDir}" }
secrets:
  - { name: DB_PASSWORD, hex: 12 }
  - { name: INVITE, digits: [4, 4, 4], show: true }
networks: [demo-net]
volumes: { data: [demo-db-data], cache: [demo-cache] }
urls: [{ name: Web app, url: "http://localhost:1" }]
healthTimeout: 2
${extra}`;
}

describe('install (core, with a fake engine)', () => {
  let dir: string;
  let engine: FakeEngine;
  let composeCli: FakeCompose;
  let events: OperationEvent[];
  const healthy = () => [
    container('demo', 'setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' }),
    container('demo', 'db', { health: 'healthy' }),
    container('demo', 'api'),
  ];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'om-install-'));
    await writeFile(join(dir, 'compose.yml'), compose);
    await writeFile(join(dir, 'stack.yml'), stackText());
    engine = new FakeEngine();
    composeCli = new FakeCompose(engine, healthy);
    events = [];
  });

  const operations = () => createOperations({ engine, compose: async () => composeCli });
  const install = async (stackFile: string | undefined = join(dir, 'stack.yml')) => {
    const ops = operations();
    const plan = await ops.planInstall({ installDir: join(dir, 'install'), stackFile }, (e) => events.push(e));
    return ops.install(plan, (e) => events.push(e));
  };

  it('writes the install dir, a 0600 .env with secrets, pulls every image, and reports the invite code', async () => {
    const result = await install();
    const envPath = join(dir, 'install', '.env');
    expect((await stat(envPath)).mode & 0o777).toBe(0o600);
    const env = EnvFile.parse(await readFile(envPath, 'utf8'));
    expect(env.get('DB_PASSWORD')).toMatch(/^[0-9a-f]{24}$/);
    expect(env.get('TAG')).toBe('v1.0.0');
    expect(env.get('REG')).toBe('reg.local');
    expect(env.get('MODE')).toBe('production');
    expect(env.get('WORK_DIR')).toBe(join(dir, 'install'));
    expect(result.shownSecret).toEqual({ name: 'INVITE', value: env.get('INVITE') });
    expect(engine.pulled.sort()).toEqual(['reg.local/api:v1.0.0', 'reg.local/db:v1.0.0', 'reg.local/setup:v1.0.0']);
    expect(engine.networks.has('demo-net')).toBe(true);
    expect(result.services.map((s) => `${s.service}:${s.state}`)).toEqual(['setup:completed', 'db:healthy', 'api:running']);
    expect(await readFile(join(dir, 'install', 'openmates-stack.yml'), 'utf8')).toBe(stackText());
    expect(result.changed).toBe(true);
  });

  it('changes nothing and keeps every secret when run again, even without --stack', async () => {
    await install();
    const envBefore = await readFile(join(dir, 'install', '.env'), 'utf8');
    const second = await install(undefined);
    expect(await readFile(join(dir, 'install', '.env'), 'utf8')).toBe(envBefore);
    expect(second.changed).toBe(false);
  });

  it('never puts a secret into an event', async () => {
    await install();
    const env = EnvFile.parse(await readFile(join(dir, 'install', '.env'), 'utf8'));
    const text = JSON.stringify(events);
    expect(text).not.toContain(env.get('DB_PASSWORD'));
    expect(text).not.toContain(env.get('INVITE'));
  });

  it('refuses to make new secrets when the data volumes exist but .env is gone', async () => {
    engine.volumes.add('demo-db-data');
    const error = await install().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('unsafe');
    expect((error as OpenmatesError).message).toContain('demo-db-data');
    expect(composeCli.ups).toBe(0);
  });

  it('fails preflight naming a taken port, before changing anything', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      await writeFile(join(dir, 'stack.yml'), stackText(`ports: [${port}]\n`));
      const error = (await install().catch((e: unknown) => e)) as OpenmatesError;
      expect(error.kind).toBe('preflight');
      expect(error.message).toContain(`Port ${port}`);
      expect(error.message).toMatch(/in use by (node|vitest|.*pid)/);
      expect(engine.pulled).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("fails preflight naming the container (and its project) that holds one of the stack's fixed container names", async () => {
    await writeFile(join(dir, 'compose.yml'), compose.replace('  api:\n', '  api:\n    container_name: ${NAME_PREFIX:-demo}-api-fixed\n').replace('  db:\n', '  db:\n    container_name: db\n'));
    engine.containers = [container('other', 'api', { name: 'demo-api-fixed', id: 'other-api' }), container('x', 'db', { name: 'db', id: 'loose-db', state: 'exited' })];
    engine.containerProjects.set('other-api', 'other');
    engine.containerProjects.set('loose-db', undefined);
    const error = (await install().catch((e: unknown) => e)) as OpenmatesError;
    expect(error.kind).toBe('preflight');
    expect(error.message).toBe("Preflight failed: Container name demo-api-fixed: held by a container of the Compose project other (service api, running); the stack's api service needs that name.");
    expect(error.hint).toBe('Stop that project (docker compose -p other down), or remove or rename the container (docker rm -f demo-api-fixed, or docker rename demo-api-fixed demo-api-fixed-old), then run install again.');
    expect(error.details).toEqual([
      "Container name db: held by a container that is not from a Compose project (exited); the stack's db service needs that name. Remove or rename the container (docker rm -f db, or docker rename db db-old), then run install again.",
    ]);
    expect(engine.pulled).toEqual([]);
    expect(composeCli.ups).toBe(0);
  });

  it("reads container names after interpolation with the install's env, and lets the stack's own containers hold them", async () => {
    await writeFile(join(dir, 'compose.yml'), compose.replace('  api:\n', '  api:\n    container_name: ${REG}-api\n'));
    engine.containers = [container('demo', 'api', { name: 'reg.local-api', id: 'ours' })];
    engine.containerProjects.set('ours', 'demo');
    const plan = await operations().planInstall({ installDir: join(dir, 'install'), stackFile: join(dir, 'stack.yml') }, (e) => events.push(e));
    expect(plan.checks.find((check) => check.name === 'Container names')).toEqual({ name: 'Container names', level: 'ok', detail: '0 free, 1 held by this install' });
  });

  it("writes the Docker socket's group id where the stack asks for it, and keeps it on repair", async () => {
    await writeFile(join(dir, 'stack.yml'), stackText().replace('env: { MODE: production,', 'env: { DOCKER_GID: "{dockerSocketGroup}", MODE: production,'));
    engine.socketGid = 994;
    await install();
    const envPath = join(dir, 'install', '.env');
    expect(EnvFile.parse(await readFile(envPath, 'utf8')).get('DOCKER_GID')).toBe('994');
    engine.socketGid = 123;
    await install();
    expect(EnvFile.parse(await readFile(envPath, 'utf8')).get('DOCKER_GID')).toBe('994');
  });

  it('leaves DOCKER_GID out, with a warning saying how to find it, when the engine is not on this machine', async () => {
    await writeFile(join(dir, 'stack.yml'), stackText().replace('env: { MODE: production,', 'env: { DOCKER_GID: "{dockerSocketGroup}", MODE: production,'));
    engine.socketGid = undefined;
    await install();
    expect(EnvFile.parse(await readFile(join(dir, 'install', '.env'), 'utf8')).get('DOCKER_GID')).toBeUndefined();
    const warning = events.find((event) => event.type === 'warning' && event.message.startsWith('DOCKER_GID'));
    expect(warning).toMatchObject({ message: expect.stringContaining('stat -c %g /var/run/docker.sock') });
  });

  it('stops with the registry error when an image cannot be pulled, before starting anything', async () => {
    engine.failingPulls.set('reg.local/api:v1.0.0', 'manifest unknown');
    const error = (await install().catch((e: unknown) => e)) as OpenmatesError;
    expect(error.kind).toBe('operation-failed');
    expect(error.message).toContain('manifest unknown');
    expect(composeCli.ups).toBe(0);
  });

  it('uses a local copy with a warning when the registry is unreachable', async () => {
    engine.images.add('reg.local/api:v1.0.0');
    engine.failingPulls.set('reg.local/api:v1.0.0', 'connection refused');
    await install();
    expect(events.some((e) => e.type === 'warning' && e.message.includes('using the copy already on this server'))).toBe(true);
  });

  it('names the crashed service and shows its last log lines', async () => {
    composeCli = new FakeCompose(engine, () => [container('demo', 'setup', { state: 'exited', exitCode: 3, restartPolicy: 'no' }), container('demo', 'db'), container('demo', 'api')]);
    engine.logs.set('demo-setup-id', ['migrating…', 'FATAL: cannot reach db']);
    const error = (await install().catch((e: unknown) => e)) as OpenmatesError;
    expect(error.kind).toBe('health-timeout');
    expect(error.message).toContain('setup');
    expect(error.details).toContain('  FATAL: cannot reach db');
  });

  it('gives up at the deadline naming the unhealthy service', async () => {
    composeCli = new FakeCompose(engine, () => [container('demo', 'setup', { state: 'exited', restartPolicy: 'no' }), container('demo', 'db', { health: 'unhealthy' }), container('demo', 'api')]);
    const error = (await install().catch((e: unknown) => e)) as OpenmatesError;
    expect(error.kind).toBe('health-timeout');
    expect(error.message).toMatch(/within 2 s: db is unhealthy/);
  });
});
