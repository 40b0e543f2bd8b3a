import { readdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containersOf,
  createTestStack,
  docker,
  dockerOk,
  fileExistsInVolume,
  networkExists,
  readFileInVolume,
  runCli,
  volumeExists,
  writeFileInVolume,
  type TestStack,
} from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { dirChecksums, volumeCreatedAt, volumesChecksums } from './snapshots.js';

const MARKER = 'marker.txt';

describe('openmates server reset (real engine)', () => {
  let stack: TestStack;
  let phrase: string;
  let decoys: string[];
  let volumes: string[];

  beforeAll(async () => {
    stack = await createTestStack({ name: 'reset' });
    const install = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(install.exitCode, install.stderr).toBe(0);
    await writeFileInVolume(stack.dataVolumes[0]!, MARKER, 'a user\'s data\n');
    phrase = `reset ${stack.project} on ${hostname()}`;
    volumes = [...stack.dataVolumes, ...stack.cacheVolumes];
    // Volumes of another project whose names look like this stack's: never touched.
    decoys = [`${stack.project}-data-keep`, `${stack.dataVolumes[0]}-keep`];
    for (const decoy of decoys) {
      await dockerOk(['volume', 'create', '--label', `com.docker.compose.project=${stack.project}-other`, decoy]);
      await writeFileInVolume(decoy, 'keep.txt', `${decoy} stays\n`);
    }
  });
  afterAll(async () => {
    for (const decoy of decoys ?? []) if (await volumeExists(decoy)) await dockerOk(['volume', 'rm', decoy]);
    await stack?.cleanup();
  });

  /** Everything a refused reset must leave exactly as it was. */
  async function everything() {
    const containers = (await containersOf(stack.project)).map((c) => `${c.id} ${c.state}`).sort();
    return { volumes: await volumesChecksums([...volumes, ...decoys]), files: await dirChecksums(stack.installDir), containers };
  }

  it('refuses without --confirm, with --yes only, and with a wrong phrase: exit 14, the phrase named, nothing changed', async () => {
    const before = await everything();
    expect(before.volumes[stack.dataVolumes[0]!]).toContain(`./${MARKER}`);
    expect(before.containers.length).toBe(6);

    const attempts = [
      [],
      ['--yes'],
      ['-y', '--start'],
      ['--confirm', `reset ${stack.project} on some-other-host`],
      ['--confirm', phrase.toUpperCase()],
      ['--confirm', `${phrase} `],
      ['--yes', '--confirm', `uninstall ${stack.project} on ${hostname()}`],
      ['--configs', '--yes'],
    ];
    for (const extra of attempts) {
      const result = await runCli(['server', 'reset', '--path', stack.installDir, ...extra]);
      expect(result.exitCode, `${result.command}\n${result.stderr}`).toBe(14);
      expect(result.stderr).toContain(`--confirm "${phrase}"`);
      expect(result.stderr).toContain('nothing was deleted');
    }
    const json = await runCli(['server', 'reset', '--json', '--yes', '--path', stack.installDir]);
    expect(json.exitCode).toBe(14);
    const lines = jsonLines(json.stdout);
    expect(lines[0]).toMatchObject({ type: 'plan', action: 'reset', phrase });
    expect(finalObject(json.stdout)).toMatchObject({ type: 'error', kind: 'confirmation-required', exitCode: 14 });

    expect(await everything()).toEqual(before);
  });

  it('lists what goes with sizes and what stays, on stderr', async () => {
    const result = await runCli(['server', 'reset', '--path', stack.installDir]);
    expect(result.stderr).toMatch(new RegExp(`✗ volume ${stack.dataVolumes[0]}\\s+\\d+ B\\s+the database`));
    expect(result.stderr).toContain(`✗ volume ${stack.cacheVolumes[0]}`);
    expect(result.stderr).toContain('Keeps:');
    expect(result.stderr).toContain('.env with its secrets');
    expect(result.stderr).toMatch(/Backups: there is no backup/);
    expect(result.stderr).not.toContain(decoys[0]);
  });

  it('with the phrase deletes exactly the stack\'s volumes, keeps .env and the decoys; install then starts it fresh and healthy', async () => {
    const envBefore = await readFile(join(stack.installDir, '.env'), 'utf8');
    const decoysBefore = await volumesChecksums(decoys);
    const result = await runCli(['server', 'reset', '--json', '--path', stack.installDir, '--confirm', phrase]);
    expect(result.exitCode, result.stderr).toBe(0);
    const done = finalObject(result.stdout);
    expect(done).toMatchObject({ type: 'result', ok: true, action: 'reset', startedFresh: false, removedContainers: 6 });
    expect((done.deletedVolumes as { name: string }[]).map((v) => v.name).sort()).toEqual([...volumes].sort());

    for (const volume of volumes) expect(await volumeExists(volume), volume).toBe(false);
    expect(await volumesChecksums(decoys)).toEqual(decoysBefore);
    expect(await containersOf(stack.project)).toEqual([]);
    expect(await readFile(join(stack.installDir, '.env'), 'utf8')).toBe(envBefore);
    expect(await networkExists(stack.network)).toBe(true);
    const status = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(status).toMatchObject({ installed: true, healthy: false });

    const install = await runCli(['server', 'install', '--yes', '--json', '--path', stack.installDir]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout)).toMatchObject({ installed: true, healthy: true });
    expect(await fileExistsInVolume(stack.dataVolumes[0]!, MARKER)).toBe(false);
    expect(await fileExistsInVolume(stack.dataVolumes[0]!, 'PG_VERSION')).toBe(true);
    expect(await readFile(join(stack.installDir, '.env'), 'utf8')).toBe(envBefore);
  });

  it('--start resets and starts fresh in one go: new empty volumes, healthy, the decoys untouched', async () => {
    await writeFileInVolume(stack.dataVolumes[0]!, MARKER, 'written after the first reset\n');
    const createdBefore = await volumeCreatedAt(stack.dataVolumes[0]!);
    const decoysBefore = await volumesChecksums(decoys);
    const result = await runCli(['server', 'reset', '--start', '--path', stack.installDir, '--confirm', phrase]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Reset ${stack.project}`);
    expect(result.stdout).toContain(`✗ volume ${stack.dataVolumes[0]}`);
    expect(result.stdout).toMatch(/Started fresh: 6 services ready/);
    expect(result.stdout).toMatch(/First invite code: \d{4}-\d{4}-\d{4}/);
    expect(await fileExistsInVolume(stack.dataVolumes[0]!, MARKER)).toBe(false);
    expect(await volumeCreatedAt(stack.dataVolumes[0]!)).not.toBe(createdBefore);
    expect(await volumesChecksums(decoys)).toEqual(decoysBefore);
    const response = await fetch(`${stack.apiUrl}/v1/health`);
    expect(await response.json()).toMatchObject({ status: 'healthy' });
    const resetLogs = (await readdir(join(stack.installDir, 'logs'))).filter((name) => name.startsWith('reset-')).sort();
    const log = await readFile(join(stack.installDir, 'logs', resetLogs.at(-1)!), 'utf8');
    expect(log).toContain('confirmed with the phrase');
    expect(log).toContain('reset finished');
  });

  it('--configs also deletes .env and the generated files and the network: back to not installed', async () => {
    const decoysBefore = await volumesChecksums(decoys);
    const result = await runCli(['server', 'reset', '--configs', '--path', stack.installDir, '--confirm', phrase]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/✗ file \.env\s+the settings and secrets \(DATABASE_PASSWORD, DRAGONFLY_PASSWORD, SELF_HOST_FIRST_INVITE_CODE\)/);
    await expect(stat(join(stack.installDir, '.env'))).rejects.toThrow();
    await expect(stat(join(stack.installDir, 'openmates-stack.yml'))).rejects.toThrow();
    for (const volume of volumes) expect(await volumeExists(volume), volume).toBe(false);
    expect(await networkExists(stack.network)).toBe(false);
    expect(await volumesChecksums(decoys)).toEqual(decoysBefore);
    const status = await runCli(['server', 'status', '--path', stack.installDir]);
    expect(status.stdout).toContain(`Not installed in ${stack.installDir}`);
    const again = await runCli(['server', 'reset', '--path', stack.installDir, '--confirm', phrase]);
    expect(again.exitCode).toBe(10);
    // The decoys are still there for the last time: afterAll removes them.
    expect((await docker(['volume', 'inspect', decoys[0]!])).exitCode).toBe(0);
    expect(await readFileInVolume(decoys[0]!, 'keep.txt')).toBe(`${decoys[0]} stays`);
  });
});
