import { stat } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, killAllTmuxSessions, runCli, startCliInTmux, type TestStack, chooseMenuItem } from './harness/index.js';
import { finalObject } from './json-lines.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await killAllTmuxSessions();
  await stack?.cleanup();
  stack = undefined;
});

describe('the Backups screen in a real terminal (tmux)', () => {
  it('backs up from the home menu and lists the new backup', async () => {
    stack = await createTestStack({ name: 'bktui' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
    const app = await startCliInTmux(['--path', stack.installDir], { cols: 100, rows: 30 });

    await app.waitForText('Installed · v1.0.0');
    await chooseMenuItem(app, 'Backups');
    await app.sendKeys('Enter');
    await app.waitForText('No backups yet. Press b to make one.');
    await app.sendKeys('b');

    const listed = await app.waitForText('Backup written:', 120_000);
    expect(listed).toMatch(/v1\.0\.0\s+manual/);
    expect(listed).toContain(`--confirm "restore ${stack.project} on`);

    // The screen shows what is on disk.
    const backups = finalObject((await runCli(['server', 'backups', '--json', '--path', stack.installDir])).stdout).backups as { file: string }[];
    expect(backups).toHaveLength(1);
    expect((await stat(backups[0]!.file)).mode & 0o777).toBe(0o600);
    const status = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(status).toMatchObject({ installed: true, healthy: true });

    await app.sendKeys('Escape');
    await app.waitForText('Installed · v1.0.0');
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);
  });
});
