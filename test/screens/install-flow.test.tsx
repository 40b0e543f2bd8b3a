import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import type { Operations } from '../../src/core/operations.js';
import { App } from '../../src/screens/App.js';
import { INSTALL_DIR, installedDegraded, plan, scriptedOperations } from './fixtures.js';
import { chooseMenuItem, keys, plain, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

function renderApp(operations: Operations) {
  return render(<App operations={operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" />);
}

/** From home (nothing installed) to the confirm question. */
async function openConfirm(view: ReturnType<typeof renderApp>) {
  await waitForText(view.lastFrame, '❯ Install');
  await press(view.stdin, keys.enter);
  return waitForText(view.lastFrame, 'Install openmates-core v0.14.0 into /opt/openmates?');
}

describe('app keys', () => {
  it('hands Ctrl-C to onInterrupt, and says it is stopping while that runs', async () => {
    const script = scriptedOperations();
    const onInterrupt = vi.fn();
    const view = render(<App operations={script.operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" onInterrupt={onInterrupt} />);
    await waitForText(view.lastFrame, '❯ Install');
    await press(view.stdin, keys.ctrlC);
    expect(onInterrupt).toHaveBeenCalledTimes(1);
    expect(plain(view.lastFrame())).toContain('q quit');

    view.rerender(<App operations={script.operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" onInterrupt={onInterrupt} stopping />);
    const frame = await waitForText(view.lastFrame, 'Stopping… giving the running step a moment to end');
    expect(frame).not.toContain('q quit');
  });
});

describe('install flow', () => {
  it('passes --tag to the plan and shows which version and why', async () => {
    const asked: { tag?: string }[] = [];
    const script = scriptedOperations({
      planInstall: (installOptions) => {
        asked.push(installOptions);
        return Promise.resolve({ ...plan, version: 'v0.13.2', versionReason: 'pinned with --tag', composeCommit: '0123456789abcdef0123' });
      },
    });
    const view = render(<App operations={script.operations} installDir={INSTALL_DIR} tag="v0.13.2" cliVersion="0.1.0" hostName="box-7" />);
    await waitForText(view.lastFrame, '❯ Install');
    await press(view.stdin, keys.enter);
    const confirm = await waitForText(view.lastFrame, 'Install openmates-core v0.13.2 into /opt/openmates?');
    expect(confirm).toContain('v0.13.2: pinned with --tag · compose file from commit 0123456789ab');
    expect(asked[0]?.tag).toBe('v0.13.2');
  });

  it('goes from Install through the checks and the confirm question to the result with URLs and the invite code', async () => {
    const script = scriptedOperations();
    const view = renderApp(script.operations);

    const confirm = await openConfirm(view);
    expect(confirm).toContain('OpenMates server · Install');
    expect(confirm).toMatch(/✓ Docker engine\s+Docker 27\.1\.1/);
    expect(confirm).toMatch(/! Memory\s+3\.1 GB free, 4 GB recommended/);
    expect(confirm).toContain('→ Close other programs or add memory.');
    expect(script.calls.install).toBe(0);

    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Installing openmates-core v0.14.0 into /opt/openmates');
    expect(script.calls.install).toBe(1);

    script.emit(
      { type: 'step-started', step: 'files', title: 'Writing the install directory' },
      { type: 'step-finished', step: 'files', outcome: 'done', detail: 'Wrote .env, docker-compose.yml' },
      { type: 'step-started', step: 'health', title: 'Waiting for the services to become healthy' },
      { type: 'health', service: 'api', state: 'healthy' },
      { type: 'health', service: 'worker', state: 'starting' },
    );
    const progress = await waitForText(view.lastFrame, '✓ Writing the install directory', 'Wrote .env, docker-compose.yml', 'Waiting for the services to become healthy');
    expect(progress).toMatch(/✓ api healthy/);
    expect(progress).toContain('worker starting');
    expect(progress).toContain('ctrl-c cancel');

    script.finish();
    const done = await waitForText(view.lastFrame, 'Installed openmates-core v0.14.0');
    expect(done).toContain('OpenMates server · Installed');
    expect(done).toMatch(/Web app\s+http:\/\/localhost:5173/);
    expect(done).toMatch(/API\s+http:\/\/localhost:8000/);
    expect(done).toContain('Invite code 4821-0937-5512');
    expect(done).toContain('The first account signs up with this code.');
    expect(done).toContain('/opt/openmates/logs/install-2025-01-01.log');
    expect(done).toContain('press q to go back');

    await press(view.stdin, 'q');
    await waitForText(view.lastFrame, 'Not installed');
    expect(script.calls.status).toBe(2);
  });

  it('renders image pulls as bars with bytes and layers, and a total', async () => {
    const script = scriptedOperations();
    const view = renderApp(script.operations);
    await openConfirm(view);
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Installing openmates-core');

    script.emit(
      { type: 'step-started', step: 'pull', title: 'Pulling 2 images' },
      { type: 'pull-progress', image: plan.images[0]!, bytesDone: 12_300_000, bytesTotal: 40_000_000, layersDone: 3, layersTotal: 5, status: 'pulling' },
      { type: 'pull-progress', image: plan.images[1]!, bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 4, status: 'pulling' },
    );
    // Hundreds of updates in one burst end up as the latest numbers.
    for (let done = 1; done <= 300; done += 1) {
      script.emit({ type: 'pull-progress', image: plan.images[1]!, bytesDone: done * 100_000, bytesTotal: 30_000_000, layersDone: 1, layersTotal: 4, status: 'pulling' });
    }
    const frame = await waitForText(view.lastFrame, '12.3 MB / 40.0 MB · 3/5 layers', '30.0 MB / 30.0 MB · 1/4 layers');
    expect(frame).toMatch(/ api\s+━+─+ 12\.3 MB \/ 40\.0 MB · 3\/5 layers/);
    expect(frame).toMatch(/Total\s+━+─+ 42\.3 MB \/ 70\.0 MB · 4\/9 layers/);
    expect(frame).toContain('Pulling 2 images');

    script.emit({ type: 'pull-progress', image: plan.images[0]!, bytesDone: 40_000_000, bytesTotal: 40_000_000, layersDone: 5, layersTotal: 5, status: 'done' });
    await waitForText(view.lastFrame, 'done · 40.0 MB', '1/2 images');
  });

  it('shows a failed install with its message, hint and details, and Esc goes back home', async () => {
    const script = scriptedOperations();
    const view = renderApp(script.operations);
    await openConfirm(view);
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Installing openmates-core');

    script.emit(
      { type: 'step-started', step: 'health', title: 'Waiting for the services to become healthy' },
      { type: 'step-failed', step: 'health', message: 'worker exited with code 1' },
    );
    script.fail(
      new OpenmatesError('health-timeout', 'The service worker did not become healthy within 600 s.', 'Look at its logs with `openmates server logs worker`, fix the cause, and run install again.', [
        'worker | connecting to cache…',
        'worker | Error: DRAGONFLY_PASSWORD is wrong',
      ]),
    );
    const frame = await waitForText(view.lastFrame, 'Installing openmates-core v0.14.0 failed', 'The service worker did not become healthy within 600 s.');
    expect(frame).toContain('✗ Waiting for the services to become healthy  worker exited with code 1');
    expect(frame).toContain('→ Look at its logs with `openmates server logs worker`');
    expect(frame).toContain('│ worker | Error: DRAGONFLY_PASSWORD is wrong');
    expect(frame).toContain('esc back');

    await press(view.stdin, keys.escape);
    await waitForText(view.lastFrame, 'Not installed', '❯ Install');
  });

  it('shows why the install cannot start when preflight fails, and r tries again', async () => {
    let attempts = 0;
    const script = scriptedOperations({
      planInstall: (_options, sink) => {
        attempts += 1;
        sink({ type: 'check', name: 'Port 5173', ok: false, detail: 'in use by nginx (pid 812)' });
        return Promise.reject(new OpenmatesError('preflight', 'Preflight failed: Port 5173: in use by nginx (pid 812).', 'Stop nginx or free port 5173, then try again.'));
      },
    });
    const view = renderApp(script.operations);
    await waitForText(view.lastFrame, '❯ Install');
    await press(view.stdin, keys.enter);
    const frame = await waitForText(view.lastFrame, 'Preflight failed: Port 5173: in use by nginx (pid 812).', '→ Stop nginx or free port 5173, then try again.');
    expect(frame).toMatch(/✗ Port 5173\s+in use by nginx/);
    expect(frame).not.toContain('Install openmates-core');

    await press(view.stdin, 'r');
    // The old failure stays on screen until the retry answers: wait for the second attempt itself.
    await vi.waitFor(() => expect(attempts).toBe(2), { timeout: 5_000 });
    await waitForText(view.lastFrame, 'Preflight failed');
  });

  it('Esc and q on the confirm question go back without installing', async () => {
    const script = scriptedOperations();
    const view = renderApp(script.operations);
    await openConfirm(view);
    await press(view.stdin, keys.escape);
    await waitForText(view.lastFrame, '❯ Install', 'Not installed');

    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Install openmates-core v0.14.0 into /opt/openmates?');
    await press(view.stdin, 'q');
    await waitForText(view.lastFrame, '❯ Install', 'Not installed');
    expect(script.calls.install).toBe(0);
  });

  it('offers a repair when installed and runs the same flow', async () => {
    const script = scriptedOperations({ status: () => Promise.resolve(installedDegraded) });
    const view = renderApp(script.operations);
    await waitForText(view.lastFrame, '❯ Start', 'More…');
    await chooseMenuItem(view.stdin, view.lastFrame, 'Reinstall / repair');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Install openmates-core v0.14.0 into /opt/openmates?');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Installing openmates-core');
    expect(script.calls.install).toBe(1);
    expect(plain(view.lastFrame())).not.toContain('Reinstall / repair');
  });
});
