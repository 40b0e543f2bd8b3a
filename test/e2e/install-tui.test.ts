import { afterEach, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, killAllTmuxSessions, runCli, startCliInTmux, type TestStack, chooseMenuItem } from './harness/index.js';
import { finalObject } from './json-lines.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await killAllTmuxSessions();
  await stack?.cleanup();
  stack = undefined;
});

describe('the full-screen app in a real terminal (tmux)', () => {
  it('installs from the menu and ends on the result screen with the URLs and the invite code', async () => {
    stack = await createTestStack({ name: 'tui' });
    const app = await startCliInTmux(['--stack', stack.stackFile, '--path', stack.installDir], { cols: 80, rows: 24 });

    await app.waitForText('Not installed');
    const home = await app.capturePane();
    expect(home).toContain('❯ Install');
    await app.sendKeys('Enter');

    await app.waitForText(`Install ${stack.project} v1.0.0 into`);
    expect(await app.capturePane()).toMatch(/✓ Port \d+\s+free/);
    await app.sendKeys('Enter');

    const result = await app.waitForText(/Invite code \d{4}-\d{4}-\d{4}/, 120_000);
    expect(result).toContain(`Installed ${stack.project} v1.0.0`);
    expect(result).toContain(`http://localhost:${stack.webPort}`);
    expect(result).toMatch(/api healthy/);

    // What the screen says is what the engine says.
    const status = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(status).toMatchObject({ installed: true, healthy: true });
    expect((await containersOf(stack.project)).length).toBe(6);

    // Back home, the menu now offers repair, reset and uninstall.
    await app.sendKeys('q');
    const installedHome = await app.waitForText('Installed · v1.0.0');
    expect(installedHome).toContain('More…');
    await chooseMenuItem(app, 'Uninstall');
    expect(await app.capturePane()).toContain('Reinstall / repair');
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);
  });

  it('quits with Ctrl-C at the home screen with exit code 130', async () => {
    stack = await createTestStack({ name: 'tuiquit' });
    const app = await startCliInTmux(['--path', stack.installDir], { cols: 80, rows: 24 });
    await app.waitForText('Not installed');
    await app.sendKeys('C-c');
    expect(await app.waitForExit()).toBe(130);
  });
});
