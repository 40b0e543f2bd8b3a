import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, dockerOk, networkExists, readFileInVolume, runCli, serviceContainer, volumeExists, writeFileInVolume, type TestStack } from './harness/index.js';
import { finalObject } from './json-lines.js';
import { dirChecksums, volumesChecksums } from './snapshots.js';

const MARKER = 'marker.txt';

describe('openmates server uninstall (real engine)', () => {
  let stack: TestStack;
  let phrase: string;
  let env: string;
  let decoy: string;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'uninstall' });
    const install = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(install.exitCode, install.stderr).toBe(0);
    await writeFileInVolume(stack.dataVolumes[0]!, MARKER, 'the first account\n');
    env = await readFile(join(stack.installDir, '.env'), 'utf8');
    phrase = `uninstall ${stack.project} on ${hostname()}`;
    decoy = `${stack.project}-data-keep`;
    await dockerOk(['volume', 'create', '--label', `com.docker.compose.project=${stack.project}-other`, decoy]);
    await writeFileInVolume(decoy, 'keep.txt', 'another project\n');
  });
  afterAll(async () => {
    if (decoy && (await volumeExists(decoy))) await dockerOk(['volume', 'rm', decoy]);
    await stack?.cleanup();
  });

  it('asks first: without a terminal and without --yes it exits 9 and changes nothing', async () => {
    const before = { files: await dirChecksums(stack.installDir), volumes: await volumesChecksums(stack.dataVolumes), containers: (await containersOf(stack.project)).length };
    const result = await runCli(['server', 'uninstall', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(9);
    expect(result.stderr).toContain('Pass --yes');
    expect(result.stderr).toContain('Deletes no data.');
    expect({ files: await dirChecksums(stack.installDir), volumes: await volumesChecksums(stack.dataVolumes), containers: (await containersOf(stack.project)).length }).toEqual(before);
  });

  it('removes the containers and the network, keeps the data volume with its marker and .env, and says how to delete them', async () => {
    const result = await runCli(['server', 'uninstall', '--yes', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await containersOf(stack.project)).toEqual([]);
    expect(await networkExists(stack.network)).toBe(false);
    expect(await readFileInVolume(stack.dataVolumes[0]!, MARKER)).toBe('the first account');
    expect(await readFile(join(stack.installDir, '.env'), 'utf8')).toBe(env);
    expect((await stat(join(stack.installDir, '.env'))).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain(`docker volume rm ${stack.dataVolumes[0]} ${stack.cacheVolumes[0]}`);
    expect(result.stdout).toContain(`openmates server uninstall --delete-data --path ${stack.installDir}`);
    expect(await readFile(join(stack.installDir, 'UNINSTALLED.txt'), 'utf8')).toContain(`openmates server install --path ${stack.installDir}`);

    const status = await runCli(['server', 'status', '--path', stack.installDir]);
    expect(status.stdout).toContain(`Not installed in ${stack.installDir}`);
    expect(status.stdout).toContain('was uninstalled here with its data kept');
    const json = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(json).toMatchObject({ installed: false, keptData: { project: stack.project } });
  });

  it('--delete-data without the phrase (or with reset\'s) exits 14 and deletes nothing', async () => {
    const before = { files: await dirChecksums(stack.installDir), volumes: await volumesChecksums([...stack.dataVolumes, ...stack.cacheVolumes, decoy]) };
    for (const extra of [[], ['--yes'], ['--confirm', `reset ${stack.project} on ${hostname()}`]]) {
      const result = await runCli(['server', 'uninstall', '--delete-data', '--path', stack.installDir, ...extra]);
      expect(result.exitCode, result.stderr).toBe(14);
      expect(result.stderr).toContain(`--confirm "${phrase}"`);
    }
    expect({ files: await dirChecksums(stack.installDir), volumes: await volumesChecksums([...stack.dataVolumes, ...stack.cacheVolumes, decoy]) }).toEqual(before);
  });

  it('a reinstall comes back with the same data and the same secrets', async () => {
    const install = await runCli(['server', 'install', '--yes', '--json', '--path', stack.installDir]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(await readFile(join(stack.installDir, '.env'), 'utf8')).toBe(env);
    expect(await readFileInVolume(stack.dataVolumes[0]!, MARKER)).toBe('the first account');
    const status = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(status).toMatchObject({ installed: true, healthy: true });
    // The database refuses a changed password; it is healthy, so it opened the kept data with the kept secret.
    const database = await serviceContainer(stack.project, 'database');
    expect(await dockerOk(['logs', database.id])).toContain('already initialised');
    await expect(stat(join(stack.installDir, 'UNINSTALLED.txt'))).rejects.toThrow();
  });

  it('--delete-data with the phrase deletes the volumes and the secrets; other projects\' volumes stay', async () => {
    const result = await runCli(['server', 'uninstall', '--delete-data', '--path', stack.installDir, '--confirm', phrase]);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const volume of [...stack.dataVolumes, ...stack.cacheVolumes]) expect(await volumeExists(volume), volume).toBe(false);
    await expect(stat(join(stack.installDir, '.env'))).rejects.toThrow();
    expect(await containersOf(stack.project)).toEqual([]);
    expect(await readFileInVolume(decoy, 'keep.txt')).toBe('another project');
    const status = await runCli(['server', 'status', '--path', stack.installDir]);
    expect(status.stdout).toContain('Not installed');
    expect(status.stdout).not.toContain('data kept');
  });

  it('safety mode: config set / get / list, and status shows the mode', async () => {
    expect((await runCli(['config', 'set', 'safety-mode', 'on'])).exitCode).toBe(0);
    expect((await runCli(['config', 'get', 'safety-mode'])).stdout).toBe('on\n');
    const list = await runCli(['config', 'list', '--json']);
    expect(finalObject(list.stdout)).toMatchObject({ settings: { 'safety-mode': 'on' } });
    expect((await runCli(['server', 'status', '--path', stack.installDir])).stdout).toContain('Safety mode: on');
    const wrong = await runCli(['config', 'set', 'safety-mode', 'maybe']);
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('safety-mode takes on or off, not "maybe"');
    expect((await runCli(['config', 'set', 'safety-mode', 'off'])).exitCode).toBe(0);
    expect((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout).toContain('"safetyMode":false');
  });
});
