import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import type { Operations } from '../../src/core/operations.js';
import { App } from '../../src/screens/App.js';
import { INSTALL_DIR, installedDegraded, liveSnapshot, restartResult, scriptedOperations } from './fixtures.js';
import { keys, plain, press, renderSized, waitForText } from './terminal.js';

afterEach(() => cleanup());

function renderApp(operations: Operations) {
  return render(<App operations={operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" />);
}

/** Installed with a crashed service: the menu reads Start, Restart, Stop, ... */
function installedScript() {
  return scriptedOperations({ status: () => Promise.resolve(installedDegraded) });
}

async function choose(view: ReturnType<typeof renderApp>, label: string, downs: number) {
  await waitForText(view.lastFrame, '❯ Start', 'More…');
  if (downs > 0) await press(view.stdin, ...Array<string>(downs).fill(keys.down));
  await waitForText(view.lastFrame, `❯ ${label}`);
  await press(view.stdin, keys.enter);
}

describe('restart, stop and start from the dashboard', () => {
  it('restart asks "Also delete cached data?" listing exactly the cache volumes, and that data stays', async () => {
    const script = installedScript();
    const view = renderApp(script.operations);
    await choose(view, 'Restart', 1);
    const frame = await waitForText(view.lastFrame, 'Also delete cached data?');
    expect(frame).toContain('OpenMates server · Restart');
    expect(frame).toMatch(/openmates-cache-data\s+12\.3 MB/);
    expect(frame).toMatch(/openmates-api-logs\s+size unknown/);
    expect(frame).toContain('✓ Data is never touched: openmates-postgres-data, openmates-vault-data');
    expect(frame).toContain('Unavailable from the stop until healthy again');
    expect(frame).toContain('❯ No, restart and keep the cached data');
    expect(frame).toContain('Yes, delete the cached data and restart');
    expect(script.calls.planLifecycle).toEqual([{ installDir: INSTALL_DIR, action: 'restart', clearCache: false }]);
    expect(script.calls.runLifecycle).toHaveLength(0);
  });

  it('"Yes" plans again with the cache cleared, runs it with live steps, and shows the result', async () => {
    const script = installedScript();
    const view = renderApp(script.operations);
    await choose(view, 'Restart', 1);
    await waitForText(view.lastFrame, 'Also delete cached data?');
    await press(view.stdin, keys.down, keys.enter);
    await waitForText(view.lastFrame, 'Restarting openmates-core v0.14.0 and deleting its cached data');
    expect(script.calls.planLifecycle.at(-1)).toEqual({ installDir: INSTALL_DIR, action: 'restart', clearCache: true });
    expect(script.calls.runLifecycle).toHaveLength(1);
    expect(script.calls.runLifecycle[0]!.clearCache).toBe(true);

    script.emitLifecycle(
      { type: 'step-started', step: 'stop', title: 'Stopping the stack and removing its containers' },
      { type: 'step-finished', step: 'stop', outcome: 'done', detail: 'Stopped 2 containers and removed them' },
      { type: 'step-started', step: 'clear-cache', title: 'Deleting the cached data (2 volumes)' },
      { type: 'info', message: 'Deleting the cache volume openmates-cache-data (12.3 MB)' },
    );
    let frame = await waitForText(view.lastFrame, 'Stopped 2 containers and removed them', 'Deleting the cache volume openmates-cache-data (12.3 MB)');
    expect(frame).toContain('Waiting for the services to become healthy'); // still to come
    expect(frame).toContain('ctrl-c cancel');
    script.emitLifecycle(
      { type: 'step-finished', step: 'clear-cache', outcome: 'done', detail: 'Deleted openmates-cache-data; data volumes untouched' },
      { type: 'step-started', step: 'health', title: 'Waiting for the services to become healthy' },
      { type: 'health', service: 'api', state: 'starting' },
      { type: 'health', service: 'cache', state: 'healthy' },
    );
    frame = await waitForText(view.lastFrame, 'api starting', 'cache healthy');

    script.finishLifecycle(restartResult);
    frame = await waitForText(view.lastFrame, 'Restarted openmates-core v0.14.0, healthy in 9.2 s (down for 9.1 s)');
    expect(frame).toMatch(/Cache deleted\s+openmates-cache-data/);
    await press(view.stdin, 'q');
    await waitForText(view.lastFrame, '❯ Start', 'More…');
  });

  it('"No" runs the plan it showed, keeping the cache', async () => {
    const script = installedScript();
    const view = renderApp(script.operations);
    await choose(view, 'Restart', 1);
    await waitForText(view.lastFrame, '❯ No, restart and keep the cached data');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Restarting openmates-core v0.14.0');
    expect(plain(view.lastFrame())).not.toContain('deleting its cached data');
    expect(script.calls.planLifecycle).toHaveLength(1);
    expect(script.calls.runLifecycle[0]!.clearCache).toBe(false);
  });

  it('Esc on the question goes back without running anything', async () => {
    const script = installedScript();
    const view = renderApp(script.operations);
    await choose(view, 'Restart', 1);
    await waitForText(view.lastFrame, 'Also delete cached data?');
    await press(view.stdin, keys.escape);
    await waitForText(view.lastFrame, '❯ Start', 'More…');
    expect(script.calls.runLifecycle).toHaveLength(0);
  });

  it('stop asks first, naming the downtime; start runs at once', async () => {
    const script = installedScript();
    const view = renderApp(script.operations);
    await choose(view, 'Stop', 2);
    const frame = await waitForText(view.lastFrame, 'Stop openmates-core v0.14.0?', '❯ Stop', 'Back');
    expect(frame).not.toContain('cached data');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Stopping openmates-core v0.14.0');
    expect(script.calls.runLifecycle.map((plan) => plan.action)).toEqual(['stop']);

    const second = installedScript();
    const startView = renderApp(second.operations);
    await choose(startView, 'Start', 0);
    await waitForText(startView.lastFrame, 'Starting openmates-core v0.14.0');
    expect(second.calls.runLifecycle.map((plan) => plan.action)).toEqual(['start']);
  });

  it('shows a failed restart with its steps, message and hint; r asks again, esc goes home', async () => {
    const script = installedScript();
    const view = renderApp(script.operations);
    await choose(view, 'Restart', 1);
    await waitForText(view.lastFrame, '❯ No, restart and keep the cached data');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Restarting openmates-core');
    script.emitLifecycle({ type: 'step-started', step: 'health', title: 'Waiting for the services to become healthy' }, { type: 'step-failed', step: 'health', message: 'api is unhealthy' });
    script.failLifecycle(new OpenmatesError('health-timeout', 'The stack did not become healthy within 180 s: api is unhealthy.', 'Fix the cause, then run `openmates server start`.', ['api (unhealthy):', '  api | cannot reach the database']));
    const frame = await waitForText(view.lastFrame, 'Restarting openmates-core v0.14.0 failed', 'api is unhealthy', 'Fix the cause', 'cannot reach the database');
    expect(frame).toContain('r try again · esc back');
    await press(view.stdin, 'r');
    await waitForText(view.lastFrame, 'Also delete cached data?');
    await press(view.stdin, keys.escape);
    await waitForText(view.lastFrame, '❯ Start');
  });

  it('the question fits 80x24', async () => {
    const script = scriptedOperations({
      dashboard: async (onSnapshot, signal) => {
        onSnapshot(liveSnapshot);
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
    });
    const view = renderSized(<App operations={script.operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" />, { columns: 80, rows: 24 });
    await waitForText(view.lastFrame, '❯ Start');
    await press(view.stdin, keys.down, keys.enter);
    const frame = await waitForText(view.lastFrame, 'Also delete cached data?');
    if (process.env.SHOW_FRAMES) process.stdout.write(`\n${frame}\n`);
    const lines = frame.split('\n');
    expect(lines.length).toBe(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('Back');
    view.unmount();
    vi.restoreAllMocks();
  });
});
