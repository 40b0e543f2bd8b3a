import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Operations } from '../../src/core/operations.js';
import { settingsSchema, type Settings } from '../../src/core/settings-schema.js';
import { App } from '../../src/screens/App.js';
import { INSTALL_DIR, installedDegraded, notInstalled, operationsStub, scriptedOperations } from './fixtures.js';
import type { InstanceStatus } from '../../src/core/status/types.js';
import { chooseMenuItem, keys, plain, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

function renderApp(settings: Settings, extra: Partial<Operations> = {}, status: () => Promise<InstanceStatus> = () => Promise.resolve(installedDegraded)) {
  const stub = operationsStub(settings);
  const script = scriptedOperations({ status });
  const updates: Partial<Settings>[] = [];
  const operations: Operations = {
    ...script.operations,
    readSettings: stub.readSettings,
    updateSettings: (patch) => {
      updates.push(patch);
      return stub.updateSettings(patch);
    },
    ...extra,
  };
  const view = render(<App operations={operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" />);
  return { ...view, updates, script };
}

const unasked: Settings = settingsSchema.parse({});

describe('safety mode', () => {
  it('asks on the first run whether this is a production server, keeps the answer, and home shows the mode', async () => {
    const { lastFrame, stdin, updates } = renderApp(unasked);
    const question = await waitForText(lastFrame, 'Is this a production server, where deleting data by accident would be very bad?');
    expect(question).toContain('❯ Yes, production: turn safety mode on');
    expect(question).not.toContain('Installed ·');
    await press(stdin, 'y');
    const home = await waitForText(lastFrame, 'Installed · v0.14.0', 'Safety mode on');
    expect(home).toContain('production server: restart and update ask first');
    expect(updates).toEqual([{ safetyMode: true }]);
  });

  it('"No" keeps safety mode off, and home says so', async () => {
    const { lastFrame, stdin, updates } = renderApp(unasked);
    await waitForText(lastFrame, 'Is this a production server');
    await press(stdin, keys.down, keys.enter);
    await waitForText(lastFrame, 'Installed · v0.14.0', 'Safety mode off');
    expect(updates).toEqual([{ safetyMode: false }]);
  });

  it('Esc leaves the question unanswered (asked again next time)', async () => {
    const { lastFrame, stdin, updates } = renderApp(unasked);
    await waitForText(lastFrame, 'Is this a production server');
    await press(stdin, keys.escape);
    const home = await waitForText(lastFrame, 'Installed · v0.14.0');
    expect(home).not.toContain('Safety mode');
    expect(updates).toEqual([]);
  });

  it('does not ask again once answered, and the settings screen turns it on and off', async () => {
    const { lastFrame, stdin, updates } = renderApp({ ...unasked, safetyMode: false });
    const home = await waitForText(lastFrame, 'Installed · v0.14.0', 'Safety mode off');
    expect(home).not.toContain('Is this a production server');
    await chooseMenuItem(stdin, lastFrame, 'Settings');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, 'OpenMates server · Settings', '❯ Safety mode: off');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, '❯ Safety mode: on (production server)');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, '❯ Safety mode: off');
    expect(updates).toEqual([{ safetyMode: true }, { safetyMode: false }]);
    await press(stdin, keys.escape);
    await waitForText(lastFrame, 'Installed · v0.14.0', 'Safety mode off');
  });

  it('Reset from the home menu asks how far, then shows the checklist of this instance', async () => {
    const { lastFrame, stdin } = renderApp(
      { ...unasked, safetyMode: true },
      {
        planReset: async (options) => ({
          action: 'reset',
          project: 'openmates-core',
          installDir: INSTALL_DIR,
          hostName: 'box-7',
          phrase: 'reset openmates-core on box-7',
          headline: options.configs ? 'Reset with configuration' : 'Reset openmates-core: delete all its data, keep the configuration',
          volumes: [{ name: 'openmates-postgres-data', role: 'data', bytes: 1000, holds: 'the database' }],
          files: [],
          alsoRemoved: [],
          keeps: ['the images'],
          keptVolumes: [],
          backup: { supported: true },
          warnings: [],
          steps: [],
          configs: options.configs ?? false,
          canStartFresh: true,
        }),
      },
    );
    await waitForText(lastFrame, '❯ Start');
    await chooseMenuItem(stdin, lastFrame, 'Reset (delete the data)');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, 'OpenMates server · Reset', '❯ Delete the data, then start fresh (empty) now');
    await press(stdin, keys.enter);
    const checklist = await waitForText(lastFrame, 'Reset openmates-core: delete all its data, keep the configuration', 'openmates-postgres-data');
    expect(checklist).toContain('1.0 kB');
    await press(stdin, keys.escape);
    await waitForText(lastFrame, 'Installed · v0.14.0');
  });

  it('after an uninstall that kept the data, home offers to reinstall it or delete it', async () => {
    const { lastFrame } = renderApp({ ...unasked, safetyMode: false }, {}, async () => ({
      ...notInstalled,
      keptData: { project: 'openmates-core', volumes: ['openmates-postgres-data'], envFile: `${INSTALL_DIR}/.env`, note: `${INSTALL_DIR}/UNINSTALLED.txt` },
    }));
    const home = await waitForText(lastFrame, 'Not installed', '❯ Reinstall with the kept data', 'Delete the kept data');
    expect(home.replace(/\s+/g, ' ')).toContain('openmates-core was uninstalled here; its data and secrets are kept (openmates-postgres-data, .env).');
  });

  it('in safety mode a restart first shows what it means and needs y; Enter alone and Esc do not restart', async () => {
    const { lastFrame, stdin, script } = renderApp({ ...unasked, safetyMode: true });
    await waitForText(lastFrame, '❯ Start');
    await press(stdin, keys.down);
    await waitForText(lastFrame, '❯ Restart');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, '❯ No, restart and keep the cached data');
    await press(stdin, keys.enter);
    const gate = await waitForText(lastFrame, 'Safety mode is on', 'Restart openmates-core: stop and start its 2 services.', 'No data is deleted.', 'Press y to go on, esc to cancel.');
    expect(gate).toContain('Services api, cache');
    await press(stdin, keys.enter);
    expect(script.calls.runLifecycle).toEqual([]);
    await press(stdin, 'y');
    await waitForText(lastFrame, 'Restarting openmates-core');
    expect(script.calls.runLifecycle.map((plan) => plan.action)).toEqual(['restart']);
  });

  it('in safety mode Esc at the restart confirm goes back without restarting', async () => {
    const { lastFrame, stdin, script } = renderApp({ ...unasked, safetyMode: true });
    await waitForText(lastFrame, '❯ Start');
    await press(stdin, keys.down, keys.enter);
    await waitForText(lastFrame, '❯ No, restart and keep the cached data');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, 'Safety mode is on');
    await press(stdin, keys.escape);
    await waitForText(lastFrame, 'Installed · v0.14.0');
    expect(script.calls.runLifecycle).toEqual([]);
  });

  it('outside safety mode a restart runs without the extra question', async () => {
    const { lastFrame, stdin, script } = renderApp({ ...unasked, safetyMode: false });
    await waitForText(lastFrame, '❯ Start');
    await press(stdin, keys.down, keys.enter);
    await waitForText(lastFrame, '❯ No, restart and keep the cached data');
    await press(stdin, keys.enter);
    await waitForText(lastFrame, 'Restarting openmates-core');
    expect(plain(lastFrame())).not.toContain('Safety mode is on');
    expect(script.calls.runLifecycle.map((plan) => plan.action)).toEqual(['restart']);
  });
});
