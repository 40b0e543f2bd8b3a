import { afterEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import type { Operations } from '../../src/core/operations.js';
import { App } from '../../src/screens/App.js';
import { INSTALL_DIR, installedDegraded, plan, scriptedOperations } from './fixtures.js';
import { chooseMenuItem, keys, plain, press, renderSized, waitForText } from './terminal.js';

/** Set SHOW_FRAMES=1 to print the frames these tests look at. */
const show = (name: string, frame: string) => {
  if (process.env.SHOW_FRAMES) process.stdout.write(`\n── ${name} ──\n${frame}\n`);
};

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const view of mounted.splice(0)) view.unmount();
});

function renderAppSized(operations: Operations, columns: number, rows: number) {
  const view = renderSized(<App operations={operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7.example.org" />, { columns, rows });
  mounted.push(view);
  return view;
}

/** Every line fits the width, the frame leaves the last row free, the header and footer are in place. */
function expectFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBe(rows - 1);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
  // Ink drops trailing spaces: the host name ends one column (the frame's padding) before the edge.
  expect(lines[0]).toMatch(/^ OpenMates server.*box-7\.example\.org$/);
  expect(lines[0]!.length).toBe(columns - 1);
}

const manyImages = Array.from({ length: 15 }, (_, index) => `ghcr.io/glowingkitty/openmates-service-${index}:v0.14.0`);

describe('layout', () => {
  for (const [columns, rows] of [
    [80, 24],
    [132, 40],
  ] as const) {
    it(`home, install in progress and result fit ${columns}x${rows}`, async () => {
      const script = scriptedOperations({ status: () => Promise.resolve(installedDegraded) });
      const view = renderAppSized(script.operations, columns, rows);

      const home = await waitForText(view.lastFrame, 'More…');
      show(`home ${columns}x${rows}`, home);
      expectFits(home, columns, rows);
      expect(home.split('\n').at(-1)).toMatch(/q quit.*openmates 0\.1\.0/);

      await chooseMenuItem(view.stdin, view.lastFrame, 'Reinstall / repair');
      await press(view.stdin, keys.enter);
      const confirm = await waitForText(view.lastFrame, 'Install openmates-core v0.14.0 into /opt/openmates?');
      show(`confirm ${columns}x${rows}`, confirm);
      expectFits(confirm, columns, rows);

      await press(view.stdin, keys.enter);
      await waitForText(view.lastFrame, 'Installing openmates-core');
      script.emit(
        { type: 'step-started', step: 'files', title: 'Writing the install directory' },
        { type: 'step-finished', step: 'files', outcome: 'done', detail: 'Wrote .env, backend/core/docker-compose.selfhost.yml' },
        { type: 'step-started', step: 'networks', title: 'Creating networks' },
        { type: 'step-finished', step: 'networks', outcome: 'skipped', detail: 'Networks already exist (openmates)' },
        { type: 'step-started', step: 'pull', title: `Pulling ${manyImages.length} images` },
        { type: 'warning', message: 'Memory: 3.1 GB free, 4 GB recommended.', hint: 'Close other programs or add memory.' },
        ...manyImages.map((image, index) => ({
          type: 'pull-progress' as const,
          image,
          bytesDone: index < 9 ? 50_000_000 : index * 3_100_000,
          bytesTotal: 50_000_000,
          layersDone: index < 9 ? 6 : 2,
          layersTotal: 6,
          status: index < 9 ? ('done' as const) : ('pulling' as const),
        })),
      );
      const installing = await waitForText(view.lastFrame, 'Total', '663.9 MB / 750.0 MB · 66/90 layers');
      show(`installing ${columns}x${rows}`, installing);
      expectFits(installing, columns, rows);
      expect(installing).toContain('Pulling 15 images');
      expect(installing).toContain('ctrl-c cancel');

      script.finish();
      const result = await waitForText(view.lastFrame, 'Invite code 4821-0937-5512');
      show(`result ${columns}x${rows}`, result);
      expectFits(result, columns, rows);
      expect(result).toContain('press q to go back');
    });
  }

  it('lays out again when the terminal is resized', async () => {
    const script = scriptedOperations({ status: () => Promise.resolve(installedDegraded) });
    const view = renderAppSized(script.operations, 100, 30);
    expectFits(await waitForText(view.lastFrame, 'More…'), 100, 30);

    view.stdout.resize(80, 24);
    await waitForText(view.lastFrame, 'More…');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expectFits(plain(view.lastFrame()), 80, 24);
  });

  it('a failure with many log lines still fits 80x24, showing the latest lines', async () => {
    const script = scriptedOperations();
    const view = renderAppSized(script.operations, 80, 24);
    await waitForText(view.lastFrame, '❯ Install');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Install openmates-core');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Installing openmates-core');
    script.emit(
      { type: 'step-started', step: 'files', title: 'Writing the install directory' },
      { type: 'step-finished', step: 'files', outcome: 'done', detail: 'Wrote .env' },
      { type: 'step-started', step: 'health', title: 'Waiting for the services to become healthy' },
      { type: 'step-failed', step: 'health', message: 'worker is unhealthy' },
    );
    const logLines = Array.from({ length: 40 }, (_, index) => `worker | line ${index + 1} of the log`);
    script.fail(new OpenmatesError('health-timeout', 'The service worker did not become healthy within 600 s.', 'Look at its logs, fix the cause, and run install again.', logLines));
    const failed = await waitForText(view.lastFrame, 'worker | line 40 of the log', 'earlier lines');
    show('failed 80x24', failed);
    expectFits(failed, 80, 24);
    expect(failed).toContain('→ Look at its logs, fix the cause, and run install again.');
    expect(failed.split('\n').at(-1)).toMatch(/r try again · esc back/);
  });

  it('an unreachable engine on home fits 80x24', async () => {
    const script = scriptedOperations({
      status: () => Promise.reject(new OpenmatesError('engine-unreachable', 'Docker does not answer at unix:///var/run/docker.sock (connect ENOENT).', 'Start Docker with `sudo systemctl start docker`, or point DOCKER_HOST at a running engine.')),
    });
    const view = renderAppSized(script.operations, 80, 24);
    const home = await waitForText(view.lastFrame, 'Check again');
    show('home unreachable 80x24', home);
    expectFits(home, 80, 24);
  });

  it('drops the version from the footer before the key hints at 60 columns', async () => {
    const script = scriptedOperations();
    const view = renderAppSized(script.operations, 60, 20);
    const home = await waitForText(view.lastFrame, '❯ Install');
    expectFits(home, 60, 20);
    expect(home.split('\n').at(-1)).toBe(' ↑↓ move · enter select · r refresh · q quit');
  });

  it('keeps the plan in view with a short terminal', async () => {
    const script = scriptedOperations();
    const view = renderAppSized(script.operations, 80, 16);
    await waitForText(view.lastFrame, '❯ Install');
    await press(view.stdin, keys.enter);
    const confirm = await waitForText(view.lastFrame, `Install openmates-core ${plan.version}`);
    expectFits(confirm, 80, 16);
  });
});
