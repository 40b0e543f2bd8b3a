import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, dockerOk, fileExistsInVolume, killAllTmuxSessions, runCli, serviceContainer, startCliInTmux, writeFileInVolume, type TestStack, chooseMenuItem } from './harness/index.js';

describe('the dashboard and restart in a real terminal (tmux)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'dash' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
  });
  afterAll(async () => {
    await killAllTmuxSessions();
    await stack?.cleanup();
  });

  it('shows the live stack, marks a service stopped behind its back, and restarts it with the cache cleared', async () => {
    await writeFileInVolume(stack.cacheVolumes[0]!, 'warm.txt', 'cached');
    const app = await startCliInTmux(['--path', stack.installDir], { cols: 100, rows: 30 });

    const home = await app.waitForText('Installed · v1.0.0 · 6/6 services healthy', 30_000);
    expect(home).toMatch(/✓ api\s+running\s+healthy/);
    expect(home).toContain(`http://localhost:${stack.webPort}`);
    // CPU and memory arrive with the first stats round.
    expect(await app.waitForText(/✓ api\s+running\s+healthy\s+\S+\s+0\s+\d+\.\d%\s+[\d.]+ [kMG]?B/, 20_000)).toContain('Memory');

    // Stopped outside openmates: the engine's event reaches the screen.
    await dockerOk(['stop', (await serviceContainer(stack.project, 'worker')).id]);
    const troubled = await app.waitForText('→ worker stopped (exit code', 20_000);
    expect(troubled).toMatch(/✗ worker\s+exited/);
    expect(troubled).toContain('5/6 services healthy');

    // Restart from the menu (Start, Restart, Stop, ...): the question lists the cache volume.
    await chooseMenuItem(app, 'Restart');
    await app.sendKeys('Enter');
    const question = await app.waitForText('Also delete cached data?');
    expect(question).toContain(stack.cacheVolumes[0]!);
    expect(question).toContain(`Data is never touched: ${stack.dataVolumes[0]}`);
    await app.sendKeys('Down');
    await app.waitForText('❯ Yes, delete the cached data and restart');
    await app.sendKeys('Enter');

    const done = await app.waitForText(`Restarted ${stack.project} v1.0.0, healthy`, 120_000);
    expect(done).toContain(`Cache deleted  ${stack.cacheVolumes[0]}`);
    expect(await fileExistsInVolume(stack.cacheVolumes[0]!, 'warm.txt')).toBe(false);
    expect((await containersOf(stack.project)).filter((c) => c.state === 'running').length).toBe(5);

    await app.sendKeys('q');
    await app.waitForText('6/6 services healthy', 20_000);
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);
  });
});
