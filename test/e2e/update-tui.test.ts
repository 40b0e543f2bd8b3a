/**
 * The update in the full-screen app, in a real terminal (tmux): the notice on start-up, a registry
 * that is down or silent (the home screen must not wait for it), an update that rolls back, and an
 * interrupted update finished from the home screen.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllTmuxSessions, runCli, startCliInTmux, type TestStack } from './harness/index.js';
import {
  closedPort,
  expectHealthyOn,
  installedStack,
  markerOf,
  pointRegistryAt,
  startNpmRegistry,
  startSilentServer,
  updateKilledAt,
  type LocalServer,
} from './update-helpers.js';

let npm: LocalServer;
beforeAll(async () => {
  npm = await startNpmRegistry('openmates-server-cli', '0.2.0');
});
afterAll(async () => {
  await npm?.close();
});

let stack: TestStack | undefined;
afterEach(async () => {
  await killAllTmuxSessions();
  await stack?.cleanup();
  stack = undefined;
});

const app = (installDir: string, env: Record<string, string> = {}) => startCliInTmux(['--path', installDir], { cols: 110, rows: 32, env: { OPENMATES_NPM_REGISTRY: npm.url, ...env } });

describe('updates in the full-screen app (tmux)', () => {
  it('with the registry down: home appears as usual with a quiet note, and update --check fails clearly', async () => {
    stack = (await installedStack('tui-offline', 'v1.0.0')).stack;
    const port = await closedPort();
    pointRegistryAt(stack, `127.0.0.1:${port}/openmates-test`);

    const session = await app(stack.installDir);
    await session.waitForText('Installed · v1.0.0 · 6/6 services healthy');
    const home = await session.waitForText('Could not check for a newer OpenMates');
    expect(home.replace(/\s+/g, ' ')).toContain(`nothing answers at 127.0.0.1:${port} (connection refused)`);
    expect(home).not.toContain('Update available');
    expect(home).toContain('openmates 0.2.0 is out (this is 0.1.0): npm install -g openmates-server-cli@latest');
    await session.sendKeys('q');
    expect(await session.waitForExit()).toBe(0);

    const check = await runCli(['server', 'update', '--check', '--path', stack.installDir], { env: { OPENMATES_NPM_REGISTRY: npm.url } });
    expect(check.exitCode).toBe(6);
    expect(check.stderr).toContain(
      `✗ Cannot list the versions of 127.0.0.1:${port}/openmates-test/openmates-api at http://127.0.0.1:${port}: nothing answers at 127.0.0.1:${port} (connection refused).`,
    );
    expect(check.stderr).toContain('Check this server\'s network and the stack\'s "registry" value.');

    // A registry that accepts the connection and never answers: home is drawn while the check
    // still waits (it says so), and the check gives up by itself after its ~2 s budget.
    const silent = await startSilentServer();
    try {
      pointRegistryAt(stack, `${silent.host}/openmates-test`);
      const slow = await app(stack.installDir, { OPENMATES_NPM_REGISTRY: silent.url });
      const first = await slow.waitForText('Installed · v1.0.0');
      expect(first).toContain('Checking for updates…');
      const after = await slow.waitForText(/did not answer in\s+time/, 10_000);
      expect(after).toContain('Installed · v1.0.0 · 6/6 services healthy');
      expect(after).not.toContain('Checking for updates…');
      await slow.sendKeys('q');
      expect(await slow.waitForExit()).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it('offers the update on start-up; u then enter updates to v1.2.0, which fails and is rolled back on screen', async () => {
    const installed = await installedStack('tui-rollback', 'v1.1.0');
    stack = installed.stack;
    const session = await app(stack.installDir, { OPENMATES_NO_UPDATE_CHECK: '' });
    await session.waitForText('Update available: v1.1.0 -> v1.2.0. Press u to update.');
    // The notice can show before the engine answers; the menu's key hint follows once it has.
    await session.waitForText('u update');
    await session.sendKeys('u');
    const plan = await session.waitForText(`${stack.project} v1.1.0 → v1.2.0`);
    expect(plan).toContain('5 images of v1.2.0');
    expect(plan).toContain(stack.dataVolumes[0]);
    await session.sendKeys('Enter');
    const outcome = await session.waitForText('The update to v1.2.0 failed; the previous version is back and healthy', 150_000);
    expect(outcome).toContain('api (unhealthy)');
    await expectHealthyOn(stack, 'v1.1.0');
    expect(await markerOf(stack)).toBe(installed.marker);
    await session.sendKeys('Escape');
    await session.waitForText('Installed · v1.1.0 · 6/6 services healthy');
    await session.sendKeys('q');
    expect(await session.waitForExit()).toBe(0);
  });

  it('finds an update killed half-way on start-up and finishes it with u, f', async () => {
    const installed = await installedStack('tui-resume', 'v1.0.0');
    stack = installed.stack;
    await updateKilledAt(npm, stack.installDir, ['--to', 'v1.1.0'], (step) => step === 'start');

    const session = await app(stack.installDir);
    const home = await session.waitForText('An update from v1.0.0 to v1.1.0 was interrupted while switching to v1.1.0.');
    expect(home).toContain('Finish update to v1.1.0');
    await session.sendKeys('u');
    await session.waitForText('f finish it: go on to v1.1.0');
    await session.sendKeys('f');
    await session.waitForText(`${stack.project} is on v1.1.0 and healthy (was v1.0.0)`, 150_000);
    await expectHealthyOn(stack, 'v1.1.0');
    expect(await markerOf(stack)).toBe(installed.marker);
    await session.sendKeys('q');
    const back = await session.waitForText('Installed · v1.1.0');
    expect(back).not.toContain('was interrupted');
    await session.sendKeys('q');
    expect(await session.waitForExit()).toBe(0);
  });
});
