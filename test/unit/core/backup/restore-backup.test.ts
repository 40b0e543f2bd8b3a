import { readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreWithConfirmation } from '../../../../src/core/backup/confirmed-restore.js';
import { createBackup } from '../../../../src/core/backup/create-backup.js';
import { restoreBackup } from '../../../../src/core/backup/restore-backup.js';
import { requireConfirmation, restorePhrase } from '../../../../src/core/confirmation.js';
import { readRestoreMarker } from '../../../../src/core/backup/restore-marker.js';
import { OpenmatesError } from '../../../../src/core/errors.js';
import type { OperationEvent } from '../../../../src/core/events.js';
import { installLayout } from '../../../../src/core/install-dir.js';
import { container } from '../../fakes/fake-docker.js';
import { ENV, fakeInstallDir, fakeStack, writeTestBackup, removeTempDirs } from './fixtures.js';

afterAll(removeTempDirs);

async function backedUp() {
  const installDir = await fakeInstallDir();
  const fake = fakeStack();
  const backup = await createBackup({ installDir, reason: 'manual' }, fake.deps, () => {});
  fake.engine.calls = [];
  return { installDir, backup, ...fake };
}

describe('restoreBackup (core, with a fake engine)', () => {
  it('stops the stack, recreates each volume empty with its labels, fills it, restores .env 0600, starts', async () => {
    const { installDir, backup, engine, deps } = await backedUp();
    const before = engine.volumeContent.get('demo-db-data');
    engine.volumeContent.set('demo-db-data', Buffer.from('changed since the backup'));
    await writeFile(join(installDir, '.env'), 'REG=reg.local\nTAG=v1.0.0\nDB_PASSWORD=changed\n');

    const restored = await restoreBackup({ installDir, file: backup.file }, deps, () => {});
    expect(restored).toEqual(backup);
    expect(engine.calls).toEqual([
      'compose down',
      'remove-volume demo-db-data',
      'create-volume demo-db-data',
      'put-archive demo-db-data',
      'remove-volume demo-uploads',
      'create-volume demo-uploads',
      'put-archive demo-uploads',
      'compose up',
    ]);
    expect(engine.volumeContent.get('demo-db-data')).toEqual(before);
    expect(engine.volumeDetails.get('demo-db-data')?.labels).toEqual({ 'com.docker.compose.project': 'demo' });
    expect(await readFile(join(installDir, '.env'), 'utf8')).toBe(ENV);
    expect((await stat(join(installDir, '.env'))).mode & 0o777).toBe(0o600);
    expect(engine.helpers.size).toBe(0);
  });

  it("refuses another stack's backup before touching anything", async () => {
    const { installDir, engine, deps } = await backedUp();
    const foreign = await writeTestBackup(join(installDir, 'foreign.tar'), { stack: 'other' });
    await expect(restoreBackup({ installDir, file: foreign }, deps, () => {})).rejects.toMatchObject({
      kind: 'unsafe',
      message: expect.stringContaining('is a backup of the stack "other", not of demo'),
    });
    const stray = await writeTestBackup(join(installDir, 'stray.tar'), {}, { 'volumes/someone-elses.tar': Buffer.from('x') });
    await expect(restoreBackup({ installDir, file: stray }, deps, () => {})).rejects.toMatchObject({ message: expect.stringContaining('volumes this stack does not have (someone-elses)') });
    expect(engine.calls).toEqual([]);
  });

  it('refuses when a container outside the stack uses a volume, before stopping anything', async () => {
    const { installDir, backup, engine, deps } = await backedUp();
    engine.containers.push(container('intruder', 'x', { id: 'intruder-id', name: 'intruder-x-1' }));
    engine.containerMounts.set('intruder-id', ['demo-uploads']);
    await expect(restoreBackup({ installDir, file: backup.file }, deps, () => {})).rejects.toMatchObject({
      kind: 'unsafe',
      message: 'The volume demo-uploads is also used by intruder-x-1, which is not part of demo; nothing was changed.',
    });
    expect(engine.calls).toEqual([]);
  });
});

describe('a restore that fails while replacing data', () => {
  it('says the stack stays stopped and to run it again, leaves a marker, and the next restore finishes', async () => {
    const { installDir, backup, engine, deps } = await backedUp();
    const putArchive = engine.putArchive.bind(engine);
    engine.putArchive = async () => {
      throw new OpenmatesError('operation-failed', 'The engine could not extract the archive.');
    };
    const failure = await restoreBackup({ installDir, file: backup.file }, deps, () => {}).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      message: 'The restore failed while replacing the data: The engine could not extract the archive.',
      hint: 'The backup is intact: run the same restore again to finish. Until then the stack stays stopped.',
    });
    expect(engine.calls.at(-1)).not.toBe('compose up');
    expect(await readRestoreMarker(installLayout(installDir))).toMatchObject({ file: backup.file });

    engine.putArchive = putArchive;
    const events: OperationEvent[] = [];
    await restoreBackup({ installDir, file: backup.file }, deps, (event) => events.push(event));
    expect(events[0]).toMatchObject({ type: 'warning', message: expect.stringContaining(`A restore of ${backup.file} started`) });
    expect(await readRestoreMarker(installLayout(installDir))).toBeUndefined();
    expect(engine.calls.at(-1)).toBe('compose up');
  });
});

describe('the restore confirmation phrase', () => {
  it('is "restore <stack> on <hostname>"', () => {
    expect(restorePhrase('openmates-core', 'box-7')).toBe('restore openmates-core on box-7');
  });

  it('must match exactly; missing or wrong names the phrase', () => {
    const expected = 'restore demo on box';
    expect(() => requireConfirmation({ expected, given: expected, consequence: 'x' })).not.toThrow();
    expect(() => requireConfirmation({ expected, given: undefined, consequence: 'Restoring replaces data' })).toThrow(
      'Restoring replaces data, so it needs the confirmation phrase "restore demo on box"; nothing was changed.',
    );
    for (const given of ['restore demo on box ', 'Restore demo on box', 'restore demo', '']) {
      expect(() => requireConfirmation({ expected, given, consequence: 'x' })).toThrow('expected exactly "restore demo on box"');
    }
  });

  it('is checked before the archive or the engine is touched', async () => {
    const { installDir, backup, engine, deps } = await backedUp();
    for (const confirm of [undefined, 'restore demo']) {
      await expect(restoreWithConfirmation({ installDir, file: backup.file, ...(confirm ? { confirm } : {}) }, deps, () => {})).rejects.toMatchObject({
        kind: 'confirmation-required',
        hint: `Pass --confirm "restore demo on ${hostname()}".`,
      });
    }
    expect(engine.calls).toEqual([]);
    await restoreWithConfirmation({ installDir, file: backup.file, confirm: `restore demo on ${hostname()}` }, deps, () => {});
    expect(engine.calls.at(-1)).toBe('compose up');
  });
});

