import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_ENTRY, type BackupManifest } from '../../../../src/core/backup/manifest.js';
import { TarFileWriter } from '../../../../src/core/backup/tar-file-writer.js';
import type { CoreDeps } from '../../../../src/core/deps.js';
import { container, FakeVolumeCompose, FakeVolumeEngine } from '../../fakes/fake-docker.js';

export const STACK = `name: demo
compose: ./docker-compose.yml
registry: reg.local
registryVariable: REG
tag: v1.0.0
tagVariable: TAG
versionImage: api
secrets:
  - { name: DB_PASSWORD, hex: 12 }
volumes: { data: [demo-db-data, demo-uploads], cache: [demo-cache] }
healthTimeout: 2
`;

export const COMPOSE = `services:
  setup:
    image: \${REG}/setup:\${TAG}
  db:
    image: \${REG}/db:\${TAG}
    depends_on:
      setup: { condition: service_completed_successfully }
  api:
    image: \${REG}/api:\${TAG}
`;

export const ENV = 'REG=reg.local\nTAG=v1.0.0\nDB_PASSWORD=0123456789abcdef01234567\n';

const tempDirs: string[] = [];

/** A fresh temp dir, removed by removeTempDirs() (call it in afterAll). */
export async function tempDir(prefix = 'om-backup-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** An install dir as `openmates server install` leaves it, without running install. */
export async function fakeInstallDir(stackText = STACK): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'openmates-stack.yml'), stackText);
  await writeFile(join(dir, 'docker-compose.yml'), COMPOSE);
  await writeFile(join(dir, '.env'), ENV, { mode: 0o600 });
  return dir;
}

/** A running "demo" stack: db and setup mount demo-db-data, api mounts demo-uploads. */
export function fakeStack() {
  const engine = new FakeVolumeEngine();
  const running = () => [
    container('demo', 'setup', { state: 'exited', exitCode: 0, restartPolicy: 'no' }),
    container('demo', 'db', { health: 'healthy' }),
    container('demo', 'api'),
  ];
  engine.containers = running();
  engine.containerMounts.set('demo-setup-id', ['demo-db-data']);
  engine.containerMounts.set('demo-db-id', ['demo-db-data']);
  engine.containerMounts.set('demo-api-id', ['demo-uploads']);
  // The containers' images, and the compose file's as they were pulled (what a stopped stack leaves).
  for (const image of ['img/setup', 'img/db', 'img/api', 'reg.local/setup:v1.0.0', 'reg.local/db:v1.0.0', 'reg.local/api:v1.0.0']) engine.images.add(image);
  engine.addVolume('demo-db-data', Buffer.from('db volume tar '.repeat(100)), { 'com.docker.compose.project': 'demo' });
  engine.addVolume('demo-uploads', Buffer.from('uploads volume tar'));
  const compose = new FakeVolumeCompose(engine, running);
  const deps: CoreDeps = { engine, compose: async () => compose };
  return { engine, compose, deps };
}

/** Writes a well-formed backup archive with the given manifest fields and parts. */
export async function writeTestBackup(
  path: string,
  fields: Partial<BackupManifest> = {},
  contents: Record<string, Buffer> = { 'volumes/demo-db-data.tar': Buffer.from('data') },
): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  const writer = await TarFileWriter.create(path);
  const parts: BackupManifest['parts'] = [];
  for (const [entry, data] of Object.entries(contents)) {
    await writer.addBuffer(entry, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const volume = /^volumes\/(.+)\.tar$/.exec(entry)?.[1];
    parts.push(volume ? { kind: 'volume', entry, volume, bytes: data.length, sha256 } : { kind: 'env', entry, file: entry.replace(/^config\//, ''), bytes: data.length, sha256 });
  }
  const manifest: BackupManifest = {
    format: 'openmates-backup',
    formatVersion: 1,
    stack: 'demo',
    version: 'v1.0.0',
    reason: 'manual',
    createdAt: '2026-01-01T00:00:00.000Z',
    hostname: 'box',
    stoppedServices: [],
    parts,
    ...fields,
  };
  await writer.addBuffer(MANIFEST_ENTRY, Buffer.from(JSON.stringify(manifest)));
  await writer.finish();
  return path;
}
