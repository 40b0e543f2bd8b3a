import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { Home } from '../../src/screens/Home.js';
import { deferred, INSTALL_DIR, installedDegraded, notInstalled, scriptedOperations } from './fixtures.js';
import { keys, plain, press, waitForText } from './terminal.js';
import type { InstanceStatus } from '../../src/core/status/types.js';

afterEach(() => cleanup());

function renderHome(status: () => Promise<InstanceStatus>) {
  const { operations, calls } = scriptedOperations({ status });
  const onInstall = vi.fn();
  const onQuit = vi.fn();
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <Home operations={operations} installDir={INSTALL_DIR} onInstall={onInstall} onQuit={onQuit} />
    </AppInfoContext.Provider>,
  );
  return { ...view, calls, onInstall, onQuit };
}

describe('Home', () => {
  it('says "Checking…" until the status arrives, then offers Install when nothing is installed', async () => {
    const status = deferred<InstanceStatus>();
    const { lastFrame, stdin, onInstall } = renderHome(() => status.promise);
    expect(plain(lastFrame())).toContain('Checking…');
    expect(plain(lastFrame())).not.toContain('Install');

    status.resolve(notInstalled);
    const frame = await waitForText(lastFrame, 'Not installed', '❯ Install', 'Quit');
    expect(frame).toContain('OpenMates server');
    expect(frame).toContain('box-7');
    expect(frame).not.toContain('Uninstall');

    await press(stdin, keys.enter);
    expect(onInstall).toHaveBeenCalledTimes(1);
  });

  it('shows an installed instance with its URLs, the troubled service, and Uninstall disabled', async () => {
    const { lastFrame, stdin, onInstall, onQuit } = renderHome(() => Promise.resolve(installedDegraded));
    const frame = await waitForText(lastFrame, 'Installed · v0.14.0 · 5/6 services healthy');
    expect(frame).toContain('❯ Reinstall / repair');
    expect(frame).toContain('Uninstall (coming soon)');
    expect(frame).toContain('http://localhost:5173');
    expect(frame).toContain(INSTALL_DIR);
    expect(frame).toMatch(/✗ worker exited/);
    expect(frame).not.toMatch(/✗ api/);

    // Down goes to Logs, then skips the disabled Uninstall and lands on Quit.
    await press(stdin, keys.down);
    expect(plain(lastFrame())).toContain('❯ Logs');
    await press(stdin, keys.down);
    expect(plain(lastFrame())).toContain('❯ Quit');
    expect(plain(lastFrame())).not.toContain('❯ Uninstall');
    await press(stdin, keys.enter);
    expect(onQuit).toHaveBeenCalledTimes(1);
    expect(onInstall).not.toHaveBeenCalled();
  });

  it('"Reinstall / repair" opens the same install flow', async () => {
    const { lastFrame, stdin, onInstall } = renderHome(() => Promise.resolve(installedDegraded));
    await waitForText(lastFrame, '❯ Reinstall / repair');
    await press(stdin, keys.enter);
    expect(onInstall).toHaveBeenCalledTimes(1);
  });

  it('shows an unreachable engine as a message with its hint, and checks again on r', async () => {
    const error = new OpenmatesError('engine-unreachable', 'Docker does not answer at /var/run/docker.sock.', 'Start Docker (sudo systemctl start docker) or set DOCKER_HOST.');
    let fail = true;
    const { lastFrame, stdin, calls } = renderHome(() => (fail ? Promise.reject(error) : Promise.resolve(notInstalled)));
    const frame = await waitForText(lastFrame, 'Docker is not reachable', 'Docker does not answer at /var/run/docker.sock.', 'Start Docker (sudo systemctl start docker)');
    expect(frame).toContain('❯ Check again');

    fail = false;
    await press(stdin, 'r');
    await waitForText(lastFrame, 'Not installed');
    expect(calls.status).toBe(2);
  });

  it('q quits from home', async () => {
    const { lastFrame, stdin, onQuit } = renderHome(() => Promise.resolve(notInstalled));
    await waitForText(lastFrame, 'Not installed');
    await press(stdin, 'q');
    expect(onQuit).toHaveBeenCalledTimes(1);
  });
});
