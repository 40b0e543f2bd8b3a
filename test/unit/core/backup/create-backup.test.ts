import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../../../src/core/backup/create-backup.js';
import { listBackups } from '../../../../src/core/backup/list-backups.js';
import { verifyBackup } from '../../../../src/core/backup/verify-backup.js';
import { OpenmatesError } from '../../../../src/core/errors.js';
import type { OperationEvent } from '../../../../src/core/events.js';
import { fakeInstallDir, fakeStack, removeTempDirs } from './fixtures.js';

afterAll(removeTempDirs);

describe('createBackup (core, with a fake engine)', () => {
  it('stops the running services that mount a data volume only while that volume is copied', async () => {
    const installDir = await fakeInstallDir();
    const { engine, compose, deps } = fakeStack();
    const events: OperationEvent[] = [];
    const backup = await createBackup({ installDir, reason: 'manual' }, deps, (event) => events.push(event));

    expect(compose.stops).toEqual([['db'], ['api']]);
    expect(compose.starts).toEqual([['db'], ['api']]);
    expect(engine.calls).toEqual(['compose stop db', 'get-archive demo-db-data', 'compose start db', 'compose stop api', 'get-archive demo-uploads', 'compose start api']);
    expect(engine.helpers.size).toBe(0);
    expect(backup).toMatchObject({ version: 'v1.0.0', reason: 'manual', volumes: ['demo-db-data', 'demo-uploads'] });
    expect(backup.file).toMatch(new RegExp(`^${join(installDir, 'backups')}/demo-v1\\.0\\.0-\\d{8}-\\d{6}-manual\\.tar$`));
    expect((await stat(backup.file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(installDir, 'backups'))).mode & 0o777).toBe(0o700);
    expect(await verifyBackup(backup.file)).toEqual(backup);
    expect(events).toContainEqual({ type: 'step-started', step: 'stop', title: 'Stopping db for a consistent copy' });
    expect(events).toContainEqual({ type: 'step-started', step: 'stop:2', title: 'Stopping api for a consistent copy' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'step-finished', step: 'restart', outcome: 'done' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'step-finished', step: 'restart:2', outcome: 'done' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'step-finished', step: 'volume:demo-db-data', detail: expect.stringMatching(/\(through the engine: /) }));
  });

  it('keeps a service that mounts two data volumes stopped until both are copied', async () => {
    const installDir = await fakeInstallDir();
    const { engine, compose, deps } = fakeStack();
    engine.containerMounts.set('demo-api-id', ['demo-uploads', 'demo-db-data']);
    await createBackup({ installDir, reason: 'manual' }, deps, () => {});
    expect(compose.stops).toEqual([['db', 'api']]);
    expect(engine.calls).toEqual(['compose stop db api', 'get-archive demo-db-data', 'get-archive demo-uploads', 'compose start db api']);
  });

  it('starts the stopped services again when copying a volume fails, and leaves no partial file', async () => {
    const installDir = await fakeInstallDir();
    const { engine, compose, deps } = fakeStack();
    engine.failingVolume = 'demo-uploads';
    await expect(createBackup({ installDir, reason: 'manual' }, deps, () => {})).rejects.toThrow('The engine stopped sending demo-uploads.');
    expect(compose.starts).toEqual([['db'], ['api']]);
    expect(engine.containers.find((c) => c.service === 'db')?.state).toBe('running');
    expect(await readdir(join(installDir, 'backups'))).toEqual([]);
    expect(engine.helpers.size).toBe(0);
  });

  it('starts them again when interrupted, and says it was interrupted', async () => {
    const installDir = await fakeInstallDir();
    const { compose, deps } = fakeStack();
    const controller = new AbortController();
    const sink = (event: OperationEvent) => {
      if (event.type === 'step-finished' && event.step === 'volume:demo-db-data') controller.abort();
    };
    const failure = await createBackup({ installDir, reason: 'manual' }, deps, sink, controller.signal).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenmatesError);
    expect((failure as OpenmatesError).kind).toBe('interrupted');
    // db went down for its own volume only and is back; api was never stopped.
    expect(compose.starts).toEqual([['db']]);
    expect(compose.stops).toEqual([['db']]);
    expect(await readdir(join(installDir, 'backups'))).toEqual([]);
  });

  it('stops nothing when nothing runs, and warns about a data volume that does not exist yet', async () => {
    const installDir = await fakeInstallDir();
    const { engine, compose, deps } = fakeStack();
    for (const c of engine.containers) c.state = 'exited';
    engine.volumes.delete('demo-uploads');
    const events: OperationEvent[] = [];
    const backup = await createBackup({ installDir, reason: 'manual' }, deps, (event) => events.push(event));
    expect(compose.stops).toEqual([]);
    expect(compose.starts).toEqual([]);
    expect(backup.volumes).toEqual(['demo-db-data']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringContaining('demo-uploads does not exist yet') }));
  });

  it('writes to --output, and refuses to overwrite an existing file', async () => {
    const installDir = await fakeInstallDir();
    const { deps } = fakeStack();
    const output = join(installDir, 'elsewhere', 'mine.tar');
    const backup = await createBackup({ installDir, reason: 'manual', output }, deps, () => {});
    expect(backup.file).toBe(output);
    const again = await createBackup({ installDir, reason: 'manual', output }, deps, () => {}).catch((error: unknown) => error);
    expect(again).toMatchObject({ kind: 'usage', message: `${output} already exists; a backup never overwrites a file.` });
  });

  it('keeps the newest pre-update backups only, never removing manual ones', async () => {
    const installDir = await fakeInstallDir();
    const { deps } = fakeStack();
    const manual = await createBackup({ installDir, reason: 'manual' }, deps, () => {});
    const preUpdate = [];
    for (let i = 0; i < 5; i++) {
      preUpdate.push(await createBackup({ installDir, reason: 'pre-update' }, deps, () => {}));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const kept = await listBackups({ installDir });
    expect(kept.map((backup) => backup.file)).toEqual([...preUpdate.slice(2).reverse().map((backup) => backup.file), manual.file]);
  });

  it('refuses when nothing is installed', async () => {
    const { deps } = fakeStack();
    await expect(createBackup({ installDir: '/nonexistent/openmates', reason: 'manual' }, deps, () => {})).rejects.toMatchObject({ kind: 'not-installed' });
  });
});
