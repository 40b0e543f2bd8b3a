import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackupInfo } from '../../src/core/backup/types.js';
import { OpenmatesError } from '../../src/core/errors.js';
import type { EventSink } from '../../src/core/events.js';
import type { Operations } from '../../src/core/operations.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { Backups } from '../../src/screens/Backups.js';
import { deferred, INSTALL_DIR, scriptedOperations } from './fixtures.js';
import { keys, plain, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

const older: BackupInfo = { file: `${INSTALL_DIR}/backups/openmates-core-v0.14.0-20260101-100000-pre-update.tar`, createdAt: '2026-01-01T10:00:00.000Z', version: 'v0.14.0', reason: 'pre-update', bytes: 52_400_000, volumes: ['openmates-postgres-data'] };
const made: BackupInfo = { ...older, file: `${INSTALL_DIR}/backups/openmates-core-v0.14.1-20260102-100000-manual.tar`, createdAt: '2026-01-02T10:00:00.000Z', version: 'v0.14.1', reason: 'manual' };

function renderBackups(overrides: Partial<Operations>) {
  const base = scriptedOperations().operations;
  const operations: Operations = { ...base, restorePhrase: async () => 'restore openmates-core on box-7', ...overrides };
  const onBack = vi.fn();
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <Backups operations={operations} installDir={INSTALL_DIR} onBack={onBack} />
    </AppInfoContext.Provider>,
  );
  return { ...view, onBack };
}

describe('Backups screen', () => {
  it('lists the backups newest first with version, reason and size, and the restore command with its phrase', async () => {
    const { lastFrame, stdin, onBack } = renderBackups({ listBackups: async () => [made, older] });
    const frame = await waitForText(lastFrame, 'v0.14.1', 'v0.14.0', 'pre-update', '52.4 MB', 'restore openmates-core on box-7');
    expect(frame.indexOf('v0.14.1')).toBeLessThan(frame.indexOf('v0.14.0'));
    expect(frame).toContain('2026-01-02 10:00:00');
    expect(frame).toContain('b back up now');
    await press(stdin, keys.escape);
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('b backs up with live steps, then shows the new backup in the list', async () => {
    let listed: BackupInfo[] = [older];
    const backup = deferred<BackupInfo>();
    let sink: EventSink | undefined;
    const { lastFrame, stdin } = renderBackups({
      listBackups: async () => listed,
      backup: (_options, given) => {
        sink = given;
        return backup.promise;
      },
    });
    await waitForText(lastFrame, 'v0.14.0');
    await press(stdin, 'b');
    await vi.waitFor(() => expect(sink).toBeDefined());
    sink!({ type: 'step-started', step: 'stop', title: 'Stopping database for a consistent copy' });
    sink!({ type: 'step-finished', step: 'stop', outcome: 'done', detail: 'Stopped database' });
    sink!({ type: 'step-started', step: 'volume:pg', title: 'Copying volume pg' });
    await waitForText(lastFrame, 'Stopped database', 'Copying volume pg', 'ctrl-c cancel');
    listed = [made, older];
    backup.resolve(made);
    const frame = await waitForText(lastFrame, `Backup written: ${made.file}`, 'v0.14.1');
    expect(frame).toContain('v0.14.0');
  });

  it('shows a failed backup with its reason and hint, and b tries again', async () => {
    let attempts = 0;
    const { lastFrame, stdin } = renderBackups({
      listBackups: async () => [],
      backup: async () => {
        attempts += 1;
        throw new OpenmatesError('operation-failed', 'Cannot create the backup file: ENOSPC.', 'Check that the directory is writable and the disk has space.');
      },
    });
    await waitForText(lastFrame, 'No backups yet. Press b to make one.');
    await press(stdin, 'b');
    await waitForText(lastFrame, 'The backup failed', 'Cannot create the backup file: ENOSPC.', 'disk has space');
    await press(stdin, 'b');
    await vi.waitFor(() => expect(attempts).toBe(2));
    expect(plain(lastFrame())).toContain('The backup failed');
  });
});
