import { execFile } from 'node:child_process';
import { copyFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containersOf,
  docker,
  dockerOk,
  fileExistsInVolume,
  readFileInVolume,
  runCli,
  toolboxImage,
  writeFileInVolume,
  createTestStack,
  engineOverTcp,
  type TestStack,
} from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';

const MARKER = 'marker.txt';
const MARKER_TEXT = 'written before the backup';

/** Every file in the volume with its sha256, as a user would compare them. */
async function volumeFingerprint(volume: string): Promise<string> {
  return dockerOk(['run', '--rm', '--network', 'none', '-v', `${volume}:/volume:ro`, toolboxImage(), 'sh', '-c', 'cd /volume && find . -type f | sort | xargs -r sha256sum']);
}

/** The volume's entries inside a backup as `tar tv` lists them (mode, owner, size, name), dates left out. */
async function volumeListing(backup: string, volume: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('sh', ['-c', 'tar -xOf "$1" "volumes/$2.tar" | tar -tv --numeric-owner', 'sh', backup, volume]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(/\s+/))
    .map(([mode, owner, size, , , ...name]) => `${mode} ${owner} ${size} ${name.join(' ')}`)
    .sort();
}

async function containerIds(project: string): Promise<string[]> {
  return (await containersOf(project)).map((container) => `${container.id}:${container.state}`).sort();
}

describe('backup, backups, restore (real engine, registry and Compose)', () => {
  let stack: TestStack;
  let volume: string;
  let backupFile: string;
  let envAtBackup: string;
  let phrase: string;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'backup' });
    volume = stack.dataVolumes[0]!;
    phrase = `restore ${stack.project} on ${hostname()}`;
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
    await writeFileInVolume(volume, MARKER, MARKER_TEXT);
  });
  afterAll(async () => {
    await stack?.cleanup();
  });

  it('backup --json writes one private archive with the volume, .env and compose file, pausing the database', async () => {
    envAtBackup = await readFile(join(stack.installDir, '.env'), 'utf8');
    const result = await runCli(['server', 'backup', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const backup = finalObject(result.stdout);
    expect(backup).toMatchObject({ type: 'result', ok: true, version: 'v1.0.0', reason: 'manual', volumes: [volume] });
    backupFile = backup.file as string;
    expect(dirname(backupFile)).toBe(join(stack.installDir, 'backups'));
    expect((await stat(backupFile)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(backupFile))).mode & 0o777).toBe(0o700);

    // It said what it stopped and that it started it again.
    const events = jsonLines(result.stdout);
    const stop = events.find((event) => event.type === 'step-started' && event.step === 'stop');
    expect(stop?.title).toContain('database');
    expect(events).toContainEqual(expect.objectContaining({ type: 'step-finished', step: 'restart', outcome: 'done' }));
    // The engine is this machine's and the CLI runs as root: the volume was read in its directory.
    const copied = events.find((event) => event.type === 'step-finished' && event.step === `volume:${volume}`);
    expect(copied?.detail).toMatch(new RegExp(`\\(read in /.*/${volume}/_data\\)$`));

    // A plain tar a user can inspect with the usual tools.
    const { stdout: listing } = await promisify(execFile)('tar', ['tf', backupFile]);
    expect(listing.split('\n').filter(Boolean).sort()).toEqual(['config/.env', 'config/docker-compose.yml', 'config/openmates-stack.yml', 'manifest.json', `volumes/${volume}.tar`]);

    // Secrets stay in the archive, never in the output.
    const password = /^DATABASE_PASSWORD=(.+)$/m.exec(envAtBackup)?.[1];
    expect(password).toBeTruthy();
    expect(result.stdout).not.toContain(password!);
    expect(result.stderr).not.toContain(password!);
  });

  it('leaves the stack running and healthy, and no helper container behind', async () => {
    const containers = await containersOf(stack.project);
    expect(containers.find((c) => c.service === 'database')?.health).toBe('healthy');
    expect(containers.find((c) => c.service === 'api')?.health).toBe('healthy');
    const helpers = await dockerOk(['ps', '-aq', '--filter', `label=com.openmates.backup-helper=${stack.project}`]);
    expect(helpers).toBe('');
  });

  it('backups --json lists it', async () => {
    const result = await runCli(['server', 'backups', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    const listed = finalObject(result.stdout).backups as Record<string, unknown>[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ file: backupFile, version: 'v1.0.0', reason: 'manual', volumes: [volume], bytes: (await stat(backupFile)).size });
    const human = await runCli(['server', 'backups', '--path', stack.installDir]);
    expect(human.stdout).toMatch(/v1\.0\.0\s+manual/);
    expect(human.stdout).toContain(`--confirm "${phrase}"`);
  });

  describe('after the marker is deleted', () => {
    let fingerprint: string;
    let containersBefore: string[];

    beforeAll(async () => {
      await dockerOk(['run', '--rm', '--network', 'none', '-v', `${volume}:/volume`, toolboxImage(), 'rm', '/volume/marker.txt']);
      expect(await fileExistsInVolume(volume, MARKER)).toBe(false);
      fingerprint = await volumeFingerprint(volume);
      containersBefore = await containerIds(stack.project);
    });

    async function expectNothingChanged(): Promise<void> {
      expect(await volumeFingerprint(volume)).toBe(fingerprint);
      expect(await readFile(join(stack.installDir, '.env'), 'utf8')).toBe(envAtBackup);
      expect(await containerIds(stack.project)).toEqual(containersBefore);
    }

    it('restore without --confirm: exit 14, names the phrase, changes nothing', async () => {
      const result = await runCli(['server', 'restore', '--file', backupFile, '--path', stack.installDir]);
      expect(result.exitCode, result.stderr).toBe(14);
      expect(result.stderr).toContain(`"${phrase}"`);
      await expectNothingChanged();
    });

    it('restore with a wrong phrase: exit 14 (also in --json), changes nothing', async () => {
      const result = await runCli(['server', 'restore', '--json', '--file', backupFile, '--confirm', `restore ${stack.project}`, '--path', stack.installDir]);
      expect(result.exitCode).toBe(14);
      expect(finalObject(result.stdout)).toMatchObject({ type: 'error', kind: 'confirmation-required', exitCode: 14 });
      expect(result.stderr).toContain(`expected exactly "${phrase}"`);
      await expectNothingChanged();
    });

    it('a truncated archive is refused before anything is touched', async () => {
      const truncated = join(stack.installDir, 'truncated.tar');
      await copyFile(backupFile, truncated);
      await truncate(truncated, Math.floor((await stat(backupFile)).size / 2));
      const result = await runCli(['server', 'restore', '--file', truncated, '--confirm', phrase, '--path', stack.installDir]);
      expect(result.exitCode).toBe(8);
      expect(result.stderr).toContain(`The backup ${truncated} is damaged`);
      expect(result.stderr).toContain('truncated');
      await expectNothingChanged();
    });

    it('a flipped byte inside the volume is caught by its checksum', async () => {
      const corrupt = join(stack.installDir, 'corrupt.tar');
      await copyFile(backupFile, corrupt);
      const data = await readFile(corrupt);
      // Inside the first entry's content: the volume's tar (it follows the 512-byte header).
      data[512 + 700] = data[512 + 700]! ^ 0xff;
      await writeFile(corrupt, data);
      const result = await runCli(['server', 'restore', '--file', corrupt, '--confirm', phrase, '--path', stack.installDir]);
      expect(result.exitCode).toBe(8);
      expect(result.stderr).toContain(`the checksum of "volumes/${volume}.tar" does not match`);
      await expectNothingChanged();
    });

    it('restore with the phrase puts the marker and .env back and the stack comes up healthy', async () => {
      await writeFileInVolume(volume, 'written-after-backup.txt', 'must be gone after the restore');
      const result = await runCli(['server', 'restore', '--json', '--file', backupFile, '--confirm', phrase, '--path', stack.installDir]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(finalObject(result.stdout)).toMatchObject({ type: 'result', ok: true, file: backupFile, version: 'v1.0.0' });
      const restored = jsonLines(result.stdout).find((event) => event.type === 'step-finished' && event.step === `volume:${volume}`);
      expect(restored?.detail).toMatch(/written in \/.*\/_data\)$/);
      expect(await readFileInVolume(volume, MARKER)).toBe(MARKER_TEXT);
      expect(await fileExistsInVolume(volume, 'written-after-backup.txt')).toBe(false);
      expect(await readFile(join(stack.installDir, '.env'), 'utf8')).toBe(envAtBackup);
      expect((await stat(join(stack.installDir, '.env'))).mode & 0o777).toBe(0o600);

      const status = await runCli(['server', 'status', '--json', '--path', stack.installDir]);
      expect(finalObject(status.stdout)).toMatchObject({ installed: true, healthy: true });
      const response = await fetch(`${stack.apiUrl}/v1/health`);
      expect(response.status).toBe(200);
      const helpers = await docker(['ps', '-aq', '--filter', `label=com.openmates.backup-helper=${stack.project}`]);
      expect(helpers.stdout).toBe('');
    });
  });

  describe('with the engine reached over tcp, as a remote one (the helper-container path)', () => {
    let remote: { dockerHost: string; close: () => Promise<void> };
    beforeAll(async () => {
      remote = await engineOverTcp();
    });
    afterAll(async () => {
      await remote?.close();
    });

    it('copies the volume through the engine, with the same entries, owners and modes as a read in its directory', async () => {
      await dockerOk(['run', '--rm', '--network', 'none', '-v', `${volume}:/volume`, toolboxImage(), 'sh', '-c', 'cd /volume && mkdir -p kept/deeper && echo secret > kept/private && chown 999:999 kept kept/private && chmod 0640 kept/private && chmod 0700 kept/deeper && ln -sf private kept/link']);
      const direct = await runCli(['server', 'backup', '--json', '--path', stack.installDir]);
      expect(direct.exitCode, direct.stderr).toBe(0);
      const viaEngine = await runCli(['server', 'backup', '--json', '--path', stack.installDir], { env: { DOCKER_HOST: remote.dockerHost } });
      expect(viaEngine.exitCode, viaEngine.stderr).toBe(0);
      const copied = jsonLines(viaEngine.stdout).find((event) => event.type === 'step-finished' && event.step === `volume:${volume}`);
      expect(copied?.detail).toContain(`(through the engine: the engine is not on this machine (${remote.dockerHost}))`);
      // The database adds a line to starts.log each time it starts, as it did between the two backups.
      const listing = async (result: { stdout: string }) => (await volumeListing(finalObject(result.stdout).file as string, volume)).filter((entry) => !entry.endsWith(' volume/starts.log'));
      const directListing = await listing(direct);
      expect(directListing).toEqual(expect.arrayContaining(['-rw-r----- 999/999 7 volume/kept/private', 'drwx------ 0/0 0 volume/kept/deeper/', 'lrwxrwxrwx 0/0 0 volume/kept/link -> private']));
      expect(await listing(viaEngine)).toEqual(directListing);
    });

    it('restores through the engine too, and the stack comes up healthy on the data', async () => {
      await writeFileInVolume(volume, 'written-after-backup.txt', 'must be gone after the restore');
      const result = await runCli(['server', 'restore', '--json', '--file', backupFile, '--confirm', phrase, '--path', stack.installDir], { env: { DOCKER_HOST: remote.dockerHost } });
      expect(result.exitCode, result.stderr).toBe(0);
      const restored = jsonLines(result.stdout).find((event) => event.type === 'step-finished' && event.step === `volume:${volume}`);
      expect(restored?.detail).toContain('through the engine');
      expect(await readFileInVolume(volume, MARKER)).toBe(MARKER_TEXT);
      expect(await fileExistsInVolume(volume, 'written-after-backup.txt')).toBe(false);
      const status = await runCli(['server', 'status', '--json', '--path', stack.installDir]);
      expect(finalObject(status.stdout)).toMatchObject({ installed: true, healthy: true });
    });
  });
});
