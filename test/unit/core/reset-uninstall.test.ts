import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createOperations } from '../../../src/core/create-operations.js';
import { OpenmatesError } from '../../../src/core/errors.js';
import type { OperationEvent } from '../../../src/core/events.js';
import { FakeCompose, FakeEngine, container } from '../fakes/fake-docker.js';

const compose = `services:
  db:
    image: \${REG}/db:\${TAG}
  api:
    image: \${REG}/api:\${TAG}
`;

const stackText = `name: demo
compose: ./compose.yml
registry: reg.local
registryVariable: REG
tag: v1.0.0
tagVariable: TAG
versionImage: api
secrets:
  - { name: DB_PASSWORD, hex: 12 }
networks: [demo-net]
volumes:
  data: [demo-db-data]
  cache: [demo-cache]
  notes: { demo-db-data: "the database: every account" }
directories: [config/providers]
files:
  - { path: config/app.yml, content: "a: 1\\n" }
urls: [{ name: Web app, url: "http://localhost:1" }]
healthTimeout: 2
`;

const HOST = 'box-1';

async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (path.includes('/logs/')) continue;
    out[path.slice(dir.length + 1)] = await readFile(path, 'utf8');
  }
  return out;
}

describe('reset and uninstall (core, with a fake engine)', () => {
  let dir: string;
  let installDir: string;
  let engine: FakeEngine;
  let composeCli: FakeCompose;
  let events: OperationEvent[];
  const sink = (event: OperationEvent) => events.push(event);
  const operations = () => createOperations({ engine, compose: async () => composeCli });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'om-safety-'));
    installDir = join(dir, 'install');
    await writeFile(join(dir, 'compose.yml'), compose);
    await writeFile(join(dir, 'stack.yml'), stackText);
    engine = new FakeEngine();
    composeCli = new FakeCompose(engine, () => [container('demo', 'db'), container('demo', 'api')]);
    events = [];
    const ops = operations();
    await ops.install(await ops.planInstall({ installDir, stackFile: join(dir, 'stack.yml') }, sink), sink);
    // The stack's volumes, and look-alikes of other projects that must never be touched.
    for (const name of ['demo-db-data', 'demo-cache', 'demo-db-data-keep', 'demo-data-keep', 'other-db-data', 'demo-db']) engine.volumes.add(name);
    engine.volumeBytes.set('demo-db-data', 2_500_000);
    engine.volumeBytes.set('demo-cache', 1_000);
    engine.containers.push(container('other', 'db'));
  });

  it('plans a reset: exactly the stack\'s volumes with sizes and plain words, the phrase, what stays', async () => {
    const plan = await operations().planReset({ installDir, hostName: HOST });
    expect(plan.phrase).toBe('reset demo on box-1');
    expect(plan.volumes).toEqual([
      { name: 'demo-db-data', role: 'data', bytes: 2_500_000, holds: 'the database: every account' },
      { name: 'demo-cache', role: 'cache', bytes: 1_000, holds: expect.stringContaining('rebuilt') },
    ]);
    expect(plan.files).toEqual([]);
    expect(plan.keeps.join('\n')).toContain('.env with its secrets');
    expect(plan.alsoRemoved).toEqual(['2 containers of demo (made again when it starts)']);
    expect(plan.canStartFresh).toBe(true);
  });

  it('with --configs also lists .env (naming its secrets, never their values) and the generated files', async () => {
    const env = await readFile(join(installDir, '.env'), 'utf8');
    const plan = await operations().planReset({ installDir, configs: true, hostName: HOST });
    expect(plan.files.map((file) => file.path)).toEqual(['.env', 'config/app.yml', 'docker-compose.yml', 'openmates-stack.yml']);
    expect(plan.files[0]).toMatchObject({ secret: true, holds: expect.stringContaining('DB_PASSWORD') });
    const password = /DB_PASSWORD=(\w+)/.exec(env)![1]!;
    expect(JSON.stringify(plan)).not.toContain(password);
    expect(plan.canStartFresh).toBe(false);
  });

  it('refuses without the phrase, with --yes-like empties, and with another host\'s phrase: nothing changes', async () => {
    const ops = operations();
    const plan = await ops.planReset({ installDir, configs: true, hostName: HOST });
    const before = { volumes: [...engine.volumes].sort(), containers: engine.containers.length, files: await snapshotDir(installDir) };
    for (const confirmation of [undefined, '', 'reset demo on box-2', 'Reset demo on box-1', 'reset demo on box-1 ']) {
      const error = await ops.reset(plan, { confirmation, startFresh: false }, sink).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenmatesError);
      expect((error as OpenmatesError).kind).toBe('confirmation-required');
    }
    expect([...engine.volumes].sort()).toEqual(before.volumes);
    expect(engine.containers.length).toBe(before.containers);
    expect(composeCli.downs).toBe(0);
    expect(await snapshotDir(installDir)).toEqual(before.files);
    expect(events.filter((event) => event.type === 'step-started' && event.step.startsWith('reset'))).toEqual([]);
  });

  it('with the phrase deletes exactly the stack\'s volumes, keeps .env, and starts fresh', async () => {
    const env = await readFile(join(installDir, '.env'), 'utf8');
    const ops = operations();
    const plan = await ops.planReset({ installDir, hostName: HOST });
    const upsBefore = composeCli.ups;
    const result = await ops.reset(plan, { confirmation: 'reset demo on box-1', startFresh: true }, sink);
    expect(engine.removedVolumes).toEqual(['demo-db-data', 'demo-cache']);
    expect([...engine.volumes].sort()).toEqual(['demo-data-keep', 'demo-db', 'demo-db-data-keep', 'other-db-data']);
    expect(result.deletedVolumes).toEqual([
      { name: 'demo-db-data', bytes: 2_500_000 },
      { name: 'demo-cache', bytes: 1_000 },
    ]);
    expect(result.removedContainers).toBe(2);
    expect(result.startedFresh).toBe(true);
    expect(composeCli.ups).toBe(upsBefore + 1);
    expect(await readFile(join(installDir, '.env'), 'utf8')).toBe(env);
    const log = await readFile(result.logFile, 'utf8');
    expect(log).toContain('reset finished');
  });

  it('reset --configs goes back to not installed, removing only empty directories and its own network', async () => {
    await writeFile(join(installDir, 'config/providers/local.yml'), 'mine: true\n');
    const ops = operations();
    const plan = await ops.planReset({ installDir, configs: true, hostName: HOST });
    const result = await ops.reset(plan, { confirmation: plan.phrase, startFresh: true }, sink);
    expect(result.startedFresh).toBe(false);
    expect(result.deletedFiles).toEqual(['.env', 'config/app.yml', 'docker-compose.yml', 'openmates-stack.yml']);
    expect(await readFile(join(installDir, 'config/providers/local.yml'), 'utf8')).toBe('mine: true\n');
    expect(engine.removedNetworks).toEqual(['demo-net']);
    expect((await ops.status({ installDir })).installed).toBe(false);
    await expect(ops.planReset({ installDir })).rejects.toMatchObject({ kind: 'not-installed' });
  });

  it('uninstall finishes when the engine keeps a stale endpoint on the stack\'s network, and says how to clear it', async () => {
    engine.staleEndpointNetworks.add('demo-net');
    const ops = operations();
    const result = await ops.uninstall(await ops.planUninstall({ installDir, hostName: HOST }), {}, sink);
    expect(result.removedNetworks).toEqual([]);
    expect(engine.containers.map((c) => c.name)).toEqual(['other-db-1']);
    const warnings = events.filter((event) => event.type === 'warning').map((event) => ('message' in event ? event.message : ''));
    expect(warnings).toContainEqual(expect.stringContaining('Kept the network demo-net: the Docker engine still counts an endpoint on it though no container uses it'));
    expect(warnings.join('\n')).toContain('`sudo systemctl restart docker` clears that; then `docker network rm demo-net`');
    expect((await ops.status({ installDir })).installed).toBe(false);
  });

  it('uninstall stops on any other failure to remove the network', async () => {
    engine.removeNetwork = async () => {
      throw new OpenmatesError('operation-failed', 'The Docker engine at unix:///var/run/docker.sock could not remove the network "demo-net": permission denied.');
    };
    const ops = operations();
    await expect(ops.uninstall(await ops.planUninstall({ installDir, hostName: HOST }), {}, sink)).rejects.toThrow('permission denied');
  });

  it('uninstall keeps the volumes and .env, moves the stack copy aside, and a reinstall finds the same secrets', async () => {
    const env = await readFile(join(installDir, '.env'), 'utf8');
    const ops = operations();
    const plan = await ops.planUninstall({ installDir, hostName: HOST });
    expect(plan.requiresPhrase).toBe(false);
    expect(plan.volumes).toEqual([]);
    expect(plan.keptVolumes.map((volume) => volume.name)).toEqual(['demo-db-data', 'demo-cache']);
    const result = await ops.uninstall(plan, {}, sink);
    expect(engine.removedVolumes).toEqual([]);
    expect(engine.containers.map((c) => c.name)).toEqual(['other-db-1']);
    expect(result.removedNetworks).toEqual(['demo-net']);
    expect(result.next.join('\n')).toContain('docker volume rm demo-db-data demo-cache');
    expect((await stat(join(installDir, '.env'))).mode & 0o777).toBe(0o600);
    const note = await readFile(join(installDir, 'UNINSTALLED.txt'), 'utf8');
    expect(note).toContain('openmates server uninstall --delete-data');

    const status = await ops.status({ installDir });
    expect(status).toMatchObject({ installed: false, keptData: { project: 'demo', volumes: ['demo-db-data', 'demo-cache'] } });
    await expect(ops.planReset({ installDir })).rejects.toMatchObject({ kind: 'not-installed' });
    expect((await ops.planUninstall({ installDir })).alreadyUninstalled).toBe(true);

    // Reinstall without --stack: the same stack, the same .env.
    const again = await ops.planInstall({ installDir }, sink);
    expect(again.alreadyInstalled).toBe(false);
    await ops.install(again, sink);
    expect(await readFile(join(installDir, '.env'), 'utf8')).toBe(env);
    await expect(stat(join(installDir, 'UNINSTALLED.txt'))).rejects.toThrow();
    await expect(stat(join(installDir, 'openmates-stack.uninstalled.yml'))).rejects.toThrow();
  });

  it('uninstall --delete-data needs the phrase, then deletes volumes and files, also after a plain uninstall', async () => {
    const ops = operations();
    await ops.uninstall(await ops.planUninstall({ installDir, hostName: HOST }), {}, sink);
    const plan = await ops.planUninstall({ installDir, deleteData: true, hostName: HOST });
    expect(plan.phrase).toBe('uninstall demo on box-1');
    await expect(ops.uninstall(plan, { confirmation: 'reset demo on box-1' }, sink)).rejects.toMatchObject({ kind: 'confirmation-required' });
    await expect(ops.uninstall(plan, {}, sink)).rejects.toMatchObject({ kind: 'confirmation-required' });
    expect(engine.removedVolumes).toEqual([]);
    const result = await ops.uninstall(plan, { confirmation: plan.phrase }, sink);
    expect(result.deletedVolumes.map((volume) => volume.name)).toEqual(['demo-db-data', 'demo-cache']);
    expect(result.deletedFiles).toEqual(expect.arrayContaining(['.env', 'UNINSTALLED.txt', 'openmates-stack.uninstalled.yml']));
    expect([...engine.volumes].sort()).toEqual(['demo-data-keep', 'demo-db', 'demo-db-data-keep', 'other-db-data']);
    const left = await readdir(installDir);
    expect(left).toEqual(['logs']); // config/providers was empty, so config went too
  });

  it('counts a volume labelled with the project as the stack\'s, never one labelled with another project', async () => {
    engine.volumes.add('demo_extra');
    engine.volumeProjects.set('demo_extra', 'demo');
    engine.volumes.add('demo_other');
    engine.volumeProjects.set('demo_other', 'demo2');
    const plan = await operations().planReset({ installDir, hostName: HOST });
    expect(plan.volumes.map((volume) => volume.name)).toEqual(['demo-db-data', 'demo-cache', 'demo_extra']);
  });

  it('says when nothing is installed', async () => {
    await mkdir(join(dir, 'empty'));
    await expect(operations().planReset({ installDir: join(dir, 'empty') })).rejects.toMatchObject({ kind: 'not-installed' });
    await expect(operations().planUninstall({ installDir: join(dir, 'empty') })).rejects.toMatchObject({ kind: 'not-installed' });
  });
});
