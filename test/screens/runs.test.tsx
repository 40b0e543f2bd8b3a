import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import type { RunEngine } from '../../src/core/runs/index.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { App } from '../../src/screens/App.js';
import { Runs } from '../../src/screens/Runs.js';
import { FakeRunEngine } from './fake-run-engine.js';
import { INSTALL_DIR, installedDegraded, scriptedOperations } from './fixtures.js';
import { chooseMenuItem, keys, plain, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

function renderRuns(connect: () => Promise<RunEngine>, refreshMs = 2000) {
  const onBack = vi.fn();
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <Runs connect={connect} onBack={onBack} refreshMs={refreshMs} />
    </AppInfoContext.Provider>,
  );
  return { ...view, onBack };
}

function engineWithRuns(): FakeRunEngine {
  const engine = new FakeRunEngine();
  engine.add('aaaa1111', { command: ['make', 'test'], state: 'exited', exitCode: 0, createdAt: '2026-12-01T10:00:00.000Z', branch: 'main' });
  engine.add('bbbb2222', { command: ['sh', '-c', 'exit 3'], state: 'exited', exitCode: 3, createdAt: '2026-12-01T11:00:00.000Z', branch: 'feature' });
  engine.add('cccc3333', { command: ['npm', 'run', 'build'], createdAt: '2026-12-02T09:00:00.000Z' });
  return engine;
}

describe('Runs screen', () => {
  it('lists the runs newest first with status, exit code, start, duration, repo@branch and command, and reads them again', async () => {
    const engine = engineWithRuns();
    const { lastFrame, stdin, onBack } = renderRuns(async () => engine, 100);
    const frame = await waitForText(lastFrame, 'cccc3333', 'bbbb2222', 'aaaa1111', 'succeeded', 'failed', 'running', 'make test', "sh -c 'exit 3'", 'project.git@feature', '2026-12-01 10:00:00', '4.2s');
    expect(frame.indexOf('cccc3333')).toBeLessThan(frame.indexOf('bbbb2222'));
    expect(frame).toMatch(/bbbb2222 +failed +3 /);
    expect(frame).toMatch(/❯ cccc3333/);
    engine.add('dddd4444', { command: ['echo', 'new'], createdAt: '2026-12-02T10:00:00.000Z' });
    await waitForText(lastFrame, 'dddd4444', 'echo new');
    // The selection stays on its run as a new one comes in above it.
    expect(plain(lastFrame())).toMatch(/❯ cccc3333/);
    await press(stdin, keys.escape);
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it("Enter shows the selected run's output, following it while it runs, and Esc goes back to the list", async () => {
    const engine = engineWithRuns();
    engine.write('cccc3333', 'compiling…\n');
    const { lastFrame, stdin, onBack } = renderRuns(async () => engine);
    await waitForText(lastFrame, '❯ cccc3333');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, 'Runs › cccc3333', 'compiling…', 'following');
    engine.write('cccc3333', 'linking\ndone\n');
    await waitForText(lastFrame, 'linking', 'done');
    engine.end('cccc3333', 0);
    const ended = await waitForText(lastFrame, 'succeeded', 'exit 0');
    expect(ended).not.toContain('following');
    await press(stdin, keys.escape);
    await waitForText(lastFrame, '❯ cccc3333', 'aaaa1111');
    expect(onBack).not.toHaveBeenCalled();
    await press(stdin, keys.down, keys.enter);
    await waitForText(lastFrame, 'Runs › bbbb2222', 'It wrote no output.', 'exit 3');
  });

  it('c asks first; n keeps the run, y cancels it (the engine marks and kills it) and the list says so', async () => {
    const engine = engineWithRuns();
    const { lastFrame, stdin } = renderRuns(async () => engine, 60_000);
    await waitForText(lastFrame, '❯ cccc3333', 'c cancel');
    await press(stdin, 'c');
    await waitForText(lastFrame, 'Cancel run cccc3333 (npm run build)?', 'y cancel the run');
    await press(stdin, 'n');
    await vi.waitFor(() => expect(plain(lastFrame())).not.toContain('Cancel run cccc3333'));
    expect(engine.calls.filter((call) => call.startsWith('kill'))).toEqual([]);
    await press(stdin, 'c');
    await waitForText(lastFrame, 'Cancel run cccc3333');
    await press(stdin, 'y');
    await waitForText(lastFrame, 'Run cccc3333 cancelled', 'cancelled');
    expect(engine.calls).toContain('rename c-cccc3333 openmates-run-cccc3333.cancelled');
    expect(engine.calls).toContain('kill c-cccc3333');
    // Read again at once, not at the next refresh (a minute away here).
    await waitForText(lastFrame, '130');
    expect(plain(lastFrame())).toMatch(/cccc3333 +cancelled +130 /);
  });

  it('c on a finished run cancels nothing and says why', async () => {
    const engine = engineWithRuns();
    const { lastFrame, stdin } = renderRuns(async () => engine);
    await waitForText(lastFrame, '❯ cccc3333');
    await press(stdin, keys.down, 'c');
    await waitForText(lastFrame, 'Run bbbb2222 is failed; only a running run can be cancelled.');
    expect(engine.calls.some((call) => call.startsWith('kill') || call.startsWith('rename'))).toBe(false);
  });

  it('an unreachable engine is a clear error with its hint, and r tries again', async () => {
    let attempts = 0;
    const engine = engineWithRuns();
    const connect = async () => {
      attempts += 1;
      if (attempts === 1) throw new OpenmatesError('engine-unreachable', 'Cannot reach the Docker engine at unix:///var/run/docker.sock: connect ENOENT.', 'Is Docker running? Start it with: sudo systemctl start docker');
      return engine;
    };
    const { lastFrame, stdin } = renderRuns(connect);
    await waitForText(lastFrame, 'Cannot reach the Docker engine at unix:///var/run/docker.sock', 'Is Docker running?', 'r try again');
    await press(stdin, 'r');
    await waitForText(lastFrame, 'cccc3333', 'aaaa1111');
    expect(attempts).toBe(2);
  });
});

describe('Runs in the app', () => {
  it('More… → Runs opens the screen on the given engine, and Esc goes back home', async () => {
    const engine = engineWithRuns();
    const { operations } = scriptedOperations({ status: () => Promise.resolve(installedDegraded) });
    const { lastFrame, stdin } = render(<App operations={operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" runEngine={async () => engine} />);
    await waitForText(lastFrame, 'More…');
    await chooseMenuItem(stdin, lastFrame, 'Runs');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, 'OpenMates server · Runs', 'cccc3333', 'npm run build');
    await press(stdin, keys.escape);
    await waitForText(lastFrame, 'More…');
  });
});
