import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, fileExistsInVolume, killAllTmuxSessions, runCli, startCliInTmux, volumeExists, writeFileInVolume, type TestStack, chooseMenuItem } from './harness/index.js';
import { finalObject } from './json-lines.js';

let stack: TestStack | undefined;
let configHome: string | undefined;
afterEach(async () => {
  await killAllTmuxSessions();
  await stack?.cleanup();
  stack = undefined;
  if (configHome) rmSync(configHome, { recursive: true, force: true });
  configHome = undefined;
});

describe('the safety flow in a real terminal (tmux)', () => {
  it('asks on the first run whether this is a production server, and home shows safety mode', async () => {
    stack = await createTestStack({ name: 'firstrun' });
    configHome = mkdtempSync(join(tmpdir(), 'omt-firstrun-config-'));
    const app = await startCliInTmux(['--path', stack.installDir], { cols: 100, rows: 30, firstRun: true, env: { XDG_CONFIG_HOME: configHome } });
    await app.waitForText('Is this a production server, where deleting data by accident would be very bad?');
    await app.sendKeys('y');
    const home = await app.waitForText('Not installed');
    expect(home).toContain('Safety mode on');
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);
    const get = await runCli(['config', 'get', 'safety-mode'], { env: { XDG_CONFIG_HOME: configHome } });
    expect(get.stdout).toBe('on\n');
  });

  it('reset: a wrong phrase is refused, the right one deletes the data after a backup, and the summary shows what went', async () => {
    stack = await createTestStack({ name: 'resettui' });
    const install = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(install.exitCode, install.stderr).toBe(0);
    await writeFileInVolume(stack.dataVolumes[0]!, 'marker.txt', 'before the reset\n');
    const phrase = `reset ${stack.project} on ${hostname()}`;

    const app = await startCliInTmux(['--path', stack.installDir], { cols: 110, rows: 32 });
    await app.waitForText(/❯ (Start|Restart)/);
    await chooseMenuItem(app, 'Reset (delete the data)');
    await app.waitForText('❯ Reset (delete the data)');
    await app.sendKeys('Enter');
    await app.waitForText('❯ Delete the data, then start fresh (empty) now');
    await app.sendKeys('Enter');

    const checklist = await app.waitForText('Deletes, for good');
    expect(checklist).toMatch(new RegExp(`✗ ${stack.dataVolumes[0]}\\s+\\d+ B the database`));
    expect(checklist).toContain(stack.cacheVolumes[0]);
    expect(checklist).toContain('Keeps:');
    await app.sendKeys('Enter');

    await app.waitForText(`There is no backup of ${stack.project}`);
    await app.sendKeys('Enter'); // "Make a backup now, then go on"
    const phraseScreen = await app.waitForText(`To go on, type ${phrase}`, 60_000);
    expect(phraseScreen).toMatch(/Backup made: .*-manual\.tar/);
    const backups = (await readdir(join(stack.installDir, 'backups'))).filter((name) => name.endsWith('-manual.tar'));
    expect(backups).toHaveLength(1);
    expect((await stat(join(stack.installDir, 'backups', backups[0]!))).size).toBeGreaterThan(0);

    const wrong = `reset ${stack.project} on not-this-host`;
    await app.type(wrong);
    await app.sendKeys('Enter');
    const refused = await app.waitForText('That is not the phrase, so nothing happens: nothing was deleted.');
    expect(refused).toContain(wrong);
    expect(await fileExistsInVolume(stack.dataVolumes[0]!, 'marker.txt')).toBe(true);
    expect((await containersOf(stack.project)).filter((c) => c.state === 'running').length).toBe(5);

    await app.sendKeys(...Array.from({ length: wrong.length }, () => 'BSpace'));
    await app.waitForText('Enter does nothing until the phrase matches.');
    await app.type(phrase);
    await app.waitForText(`The phrase matches: press enter to reset ${stack.project}.`);
    await app.sendKeys('Enter');

    const summary = await app.waitForText(/Started fresh: \d+ services ready/, 120_000);
    expect(summary).toContain(`✓ Reset ${stack.project}`);
    expect(summary).toMatch(new RegExp(`✗ volume ${stack.dataVolumes[0]}`));
    expect(summary).toContain('Removed: 6 containers');
    await app.sendKeys('Enter');
    await app.waitForText(/Installed · v1\.0\.0/);
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);

    expect(await volumeExists(stack.dataVolumes[0]!)).toBe(true);
    expect(await fileExistsInVolume(stack.dataVolumes[0]!, 'marker.txt')).toBe(false);
    expect(finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout)).toMatchObject({ healthy: true });
  });
});
