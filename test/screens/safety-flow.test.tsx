import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventSink } from '../../src/core/events.js';
import type { ResetPlan } from '../../src/core/safety/reset.js';
import type { DeletionResult } from '../../src/core/safety/types.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { applyTyping, ConfirmPhraseInput } from '../../src/screens/components/ConfirmPhraseInput.js';
import { DestructiveFlow, type FlowResult } from '../../src/screens/safety/DestructiveFlow.js';
import { deferred, INSTALL_DIR } from './fixtures.js';
import { keys, plain, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

const PHRASE = 'reset openmates-core on box-7';

const resetPlan: ResetPlan = {
  action: 'reset',
  project: 'openmates-core',
  installDir: INSTALL_DIR,
  hostName: 'box-7',
  phrase: PHRASE,
  headline: 'Reset openmates-core: delete all its data, keep the configuration, so it can start again empty.',
  volumes: [
    { name: 'openmates-postgres-data', role: 'data', bytes: 2_400_000_000, holds: 'the database: every user account' },
    { name: 'openmates-cache-data', role: 'cache', bytes: 12_000, holds: 'the cache: rebuilt when the stack starts' },
  ],
  files: [],
  alsoRemoved: ['6 containers of openmates-core (made again when it starts)'],
  keeps: ['.env with its secrets, and the configuration', 'the downloaded images'],
  keptVolumes: [],
  backup: { supported: true, directory: `${INSTALL_DIR}/backups` },
  warnings: [],
  steps: [
    { id: 'reset-stop', title: 'Stopping and removing the containers' },
    { id: 'reset-volumes', title: 'Deleting 2 volumes' },
  ],
  configs: false,
  canStartFresh: true,
};

const deletion: DeletionResult = {
  action: 'reset',
  project: 'openmates-core',
  installDir: INSTALL_DIR,
  deletedVolumes: [
    { name: 'openmates-postgres-data', bytes: 2_400_000_000 },
    { name: 'openmates-cache-data', bytes: 12_000 },
  ],
  deletedFiles: [],
  removedContainers: 6,
  removedNetworks: [],
  kept: ['.env with its secrets, and the configuration'],
  next: ['Start it fresh: openmates server install --path /opt/openmates'],
  startedFresh: false,
  logFile: `${INSTALL_DIR}/logs/reset.log`,
};

function renderPhrase() {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  const view = render(<ConfirmPhraseInput phrase={PHRASE} actionLabel="reset openmates-core" onConfirm={onConfirm} onCancel={onCancel} />);
  return { ...view, onConfirm, onCancel };
}

describe('ConfirmPhraseInput', () => {
  it('applies a burst of typed keys in order, backspaces included, and drops control characters', () => {
    expect(applyTyping('reset x on hots', '\x7f\x7fst')).toBe('reset x on host');
    expect(applyTyping('', 'ab\x1b\tc')).toBe('abc');
    expect(applyTyping('a', '\x7f\x7f\x7f')).toBe('');
  });

  it('takes a wrong phrase erased in one burst and the right one typed after it', async () => {
    const { lastFrame, stdin, onConfirm } = renderPhrase();
    await press(stdin, 'reset openmates-core on prod-1');
    stdin.write('\x7f'.repeat('prod-1'.length) + 'box-7');
    await waitForText(lastFrame, 'The phrase matches');
    await press(stdin, keys.enter);
    expect(onConfirm).toHaveBeenCalledWith(PHRASE);
  });

  it('shows the phrase once, and Enter does nothing until the typed text matches exactly', async () => {
    const { lastFrame, stdin, onConfirm } = renderPhrase();
    const first = await waitForText(lastFrame, `To go on, type ${PHRASE}`, 'Enter does nothing until the phrase matches.');
    expect(first.split(PHRASE).length - 1).toBe(1);

    for (const wrong of ['Reset openmates-core on box-7', 'reset openmates-core on box-7 ', 'reset  openmates-core on box-7', 'reset openmates-core on prod-1']) {
      await press(stdin, wrong, keys.enter);
      const refused = await waitForText(lastFrame, 'That is not the phrase, so nothing happens: nothing was deleted.');
      expect(refused).not.toContain('The phrase matches');
      expect(onConfirm).not.toHaveBeenCalled();
      // Clear what was typed.
      for (let i = 0; i < wrong.length; i += 1) stdin.write('\x7f');
      await waitForText(lastFrame, 'Enter does nothing until the phrase matches.');
    }

    await press(stdin, PHRASE);
    await waitForText(lastFrame, 'The phrase matches: press enter to reset openmates-core.');
    await press(stdin, keys.enter);
    expect(onConfirm).toHaveBeenCalledWith(PHRASE);
  });

  it('Esc cancels, even with a matching phrase typed', async () => {
    const { lastFrame, stdin, onConfirm, onCancel } = renderPhrase();
    await press(stdin, PHRASE);
    await waitForText(lastFrame, 'The phrase matches');
    await press(stdin, keys.escape);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
  });
});

function renderFlow(options: { requiresPhrase?: boolean; plan?: ResetPlan } = {}) {
  const run = deferred<FlowResult>();
  const backup = deferred<{ file: string }>();
  const calls = { run: [] as (string | undefined)[], backup: 0 };
  let runSink: EventSink | undefined;
  const onCancel = vi.fn();
  const onDone = vi.fn();
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <DestructiveFlow
        section="Reset"
        plan={options.plan ?? resetPlan}
        requiresPhrase={options.requiresPhrase ?? true}
        actionLabel="reset openmates-core"
        backupNow={() => {
          calls.backup += 1;
          return backup.promise;
        }}
        run={(confirmation, sink) => {
          calls.run.push(confirmation);
          runSink = sink;
          return run.promise;
        }}
        onCancel={onCancel}
        onDone={onDone}
      />
    </AppInfoContext.Provider>,
  );
  return { ...view, run, backup, calls, onCancel, onDone, emit: (...events: Parameters<EventSink>[0][]) => events.forEach((event) => runSink!(event)) };
}

/** From the checklist through the backup offer ("go on without") to the phrase. */
async function toPhrase(flow: ReturnType<typeof renderFlow>) {
  await waitForText(flow.lastFrame, 'Deletes, for good');
  await press(flow.stdin, keys.enter);
  await waitForText(flow.lastFrame, 'Make a backup now, then go on');
  await press(flow.stdin, keys.down, keys.enter);
  return waitForText(flow.lastFrame, `To go on, type ${PHRASE}`);
}

describe('DestructiveFlow', () => {
  it('lists every volume with its size and what lives there, and what stays', async () => {
    const { lastFrame } = renderFlow();
    const frame = await waitForText(lastFrame, 'Deletes, for good (2 volumes, 2.4 GB)');
    expect(frame).toMatch(/✗ openmates-postgres-data\s+2\.4 GB the database: every user account/);
    expect(frame).toMatch(/✗ openmates-cache-data\s+12\.0 kB the cache/);
    expect(frame).toContain('Also removes: 6 containers of openmates-core');
    expect(frame).toContain('✓ .env with its secrets, and the configuration');
    expect(frame).toContain('esc cancel (nothing is deleted)');
  });

  it('says when there is no backup and offers one; making it shows the file before the phrase', async () => {
    const flow = renderFlow();
    await waitForText(flow.lastFrame, 'Deletes, for good');
    await press(flow.stdin, keys.enter);
    const offer = await waitForText(flow.lastFrame, 'There is no backup of openmates-core', '❯ Make a backup now, then go on', 'Go on without a new backup');
    expect(offer).not.toContain('To go on, type');
    await press(flow.stdin, keys.enter);
    await waitForText(flow.lastFrame, 'Making a backup of openmates-core before anything is deleted');
    expect(flow.calls.backup).toBe(1);
    flow.backup.resolve({ file: '/opt/openmates/backups/openmates-core-v0.14.0-manual.tar' });
    const phrase = await waitForText(flow.lastFrame, 'Backup made: /opt/openmates/backups/openmates-core-v0.14.0-manual.tar', `To go on, type ${PHRASE}`);
    expect(phrase).toContain('Deletes 2 volumes (2.4 GB) of openmates-core on box-7');
    expect(flow.calls.run).toEqual([]);
  });

  it('shows when the last backup was', async () => {
    const lastBackup = { file: '/opt/openmates/backups/a.tar', createdAt: new Date(Date.now() - 3 * 3600_000).toISOString(), bytes: 5_000_000 };
    const flow = renderFlow({ plan: { ...resetPlan, backup: { supported: true, last: lastBackup } } });
    await waitForText(flow.lastFrame, 'Deletes, for good');
    await press(flow.stdin, keys.enter);
    await waitForText(flow.lastFrame, 'Last backup of openmates-core: 3 hours ago', '5.0 MB', '/opt/openmates/backups/a.tar');
  });

  it('Esc cancels at the checklist, at the backup offer, during the backup, and at the phrase: nothing runs', async () => {
    const atChecklist = renderFlow();
    await waitForText(atChecklist.lastFrame, 'Deletes, for good');
    await press(atChecklist.stdin, keys.escape);
    expect(atChecklist.onCancel).toHaveBeenCalledTimes(1);
    cleanup();

    const atBackup = renderFlow();
    await waitForText(atBackup.lastFrame, 'Deletes, for good');
    await press(atBackup.stdin, keys.enter);
    await waitForText(atBackup.lastFrame, 'Make a backup now');
    await press(atBackup.stdin, keys.escape);
    expect(atBackup.onCancel).toHaveBeenCalledTimes(1);
    cleanup();

    const duringBackup = renderFlow();
    await waitForText(duringBackup.lastFrame, 'Deletes, for good');
    await press(duringBackup.stdin, keys.enter);
    await waitForText(duringBackup.lastFrame, 'Make a backup now');
    await press(duringBackup.stdin, keys.enter);
    await waitForText(duringBackup.lastFrame, 'Making a backup');
    await press(duringBackup.stdin, keys.escape);
    expect(duringBackup.onCancel).toHaveBeenCalledTimes(1);
    cleanup();

    const atPhrase = renderFlow();
    await toPhrase(atPhrase);
    await press(atPhrase.stdin, PHRASE.slice(0, 10), keys.escape);
    expect(atPhrase.onCancel).toHaveBeenCalledTimes(1);

    for (const flow of [atChecklist, atBackup, duringBackup, atPhrase]) expect(flow.calls.run).toEqual([]);
  });

  it('runs only after the exact phrase, with progress, and ends on what was deleted', async () => {
    const flow = renderFlow();
    await toPhrase(flow);
    await press(flow.stdin, 'reset openmates-core on prod-1', keys.enter);
    await waitForText(flow.lastFrame, 'That is not the phrase');
    expect(flow.calls.run).toEqual([]);
    for (let i = 0; i < 'prod-1'.length; i += 1) flow.stdin.write('\x7f');
    await press(flow.stdin, 'box-7', keys.enter);
    await waitForText(flow.lastFrame, 'Stopping and removing the containers');
    expect(flow.calls.run).toEqual([PHRASE]);

    flow.emit({ type: 'step-started', step: 'reset-stop', title: 'Stopping and removing the containers' }, { type: 'step-finished', step: 'reset-stop', outcome: 'done', detail: 'Removed 6 containers' });
    await waitForText(flow.lastFrame, '✓ Stopping and removing the containers', 'Removed 6 containers', 'ctrl-c stop');
    // Esc does not stop a running deletion.
    await press(flow.stdin, keys.escape);
    expect(flow.onCancel).not.toHaveBeenCalled();

    flow.run.resolve(deletion);
    const done = await waitForText(flow.lastFrame, '✓ Reset openmates-core', 'Deleted:');
    expect(done).toMatch(/✗ volume openmates-postgres-data \(2\.4 GB\)/);
    expect(done).toMatch(/✗ volume openmates-cache-data \(12\.0 kB\)/);
    expect(done).toContain('Removed: 6 containers');
    expect(done).toContain('✓ .env with its secrets, and the configuration');
    await press(flow.stdin, keys.enter);
    expect(flow.onDone).toHaveBeenCalledTimes(1);
  });

  it('for an action that deletes nothing (plain uninstall) Enter after the list runs it, with no phrase', async () => {
    const plan: ResetPlan = { ...resetPlan, volumes: [], keptVolumes: resetPlan.volumes, headline: 'Uninstall openmates-core: keep the data.' };
    const flow = renderFlow({ requiresPhrase: false, plan });
    const frame = await waitForText(flow.lastFrame, 'There is no data to delete.', 'Keeps:');
    expect(frame).toMatch(/✓ openmates-postgres-data\s+2\.4 GB/);
    await press(flow.stdin, keys.enter);
    expect(flow.calls.run).toEqual([undefined]);
    expect(plain(flow.lastFrame())).not.toContain('To go on, type');
  });
});
