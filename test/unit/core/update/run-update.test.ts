import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isOpenmatesError, OpenmatesError } from '../../../../src/core/errors.js';
import { ignoreEvents, type OperationEvent } from '../../../../src/core/events.js';
import { planUpdate } from '../../../../src/core/update/plan-update.js';
import { runUpdate } from '../../../../src/core/update/run-update.js';
import { CheckCache } from '../../../../src/update/check-cache.js';
import { FakeEngine } from '../../fakes/fake-docker.js';
import { startFakeRegistry, type FakeRegistry } from '../../update/fake-registry.js';
import { envTag, fakeBackupTools, fakeDeps, installDirOn, stackTag, stateOnDisk, TagCompose, writeInterruptedState } from './update-fixture.js';

let registry: FakeRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

/** An install on `tag` with a registry offering v1.0.0, v1.1.0 and v1.2.0 (v1.2.0 never healthy unless told otherwise). */
async function setup(tag: string, broken: string[] = ['v1.2.0']) {
  registry = await startFakeRegistry({ repositories: { 'ns/openmates-api': ['v1.0.0', 'v1.1.0', 'v1.2.0', 'main'] } });
  const dir = installDirOn(tag, `${registry.host}/ns`);
  const engine = new FakeEngine();
  const compose = new TagCompose(engine, dir, new Set(broken));
  await compose.up({ name: 'demo', composeFile: join(dir, 'docker-compose.yml'), envFile: join(dir, '.env') });
  compose.ups = [];
  compose.statesAtUp = [];
  const backup = fakeBackupTools(dir, compose);
  const deps = fakeDeps(engine, compose);
  const events: OperationEvent[] = [];
  const sink = (event: OperationEvent) => events.push(event);
  const environment = { channel: async () => 'stable' as const, cache: new CheckCache(join(dir, 'cache.json')) };
  const plan = (to?: string) => planUpdate({ installDir: dir, ...(to ? { to } : {}) }, deps, ignoreEvents, undefined, environment);
  const run = async (to?: string) => runUpdate(await plan(to), deps, sink, undefined, backup.tools);
  return { dir, engine, compose, backup, deps, events, plan, run, environment };
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('an update run', () => {
  it('pulls, backs up, switches and waits, writing its state before each step, and clears it at the end', async () => {
    const { dir, engine, compose, backup, run, events } = await setup('v1.0.0');
    const statesAtPull: unknown[] = [];
    const pull = engine.pullImage.bind(engine);
    engine.pullImage = async (ref: string, onProgress: Parameters<FakeEngine["pullImage"]>[1]) => (statesAtPull.push(stateOnDisk(dir)?.phase), pull(ref, onProgress));

    const result = await run('v1.1.0');
    expect(result).toMatchObject({ outcome: 'updated', from: 'v1.0.0', version: 'v1.1.0', backupFile: join(dir, 'backups', 'v1.0.0-pre-update.tar') });
    expect(engine.pulled).toEqual([`${registry!.host}/ns/openmates-api:v1.1.0`]);
    expect(statesAtPull).toEqual(['pulling']);
    expect(backup.states.backup).toMatchObject({ phase: 'backing-up', from: 'v1.0.0', to: 'v1.1.0', newVersionStarted: false });
    expect(compose.ups).toEqual(['v1.1.0']);
    expect(compose.statesAtUp[0]).toMatchObject({ phase: 'switching', newVersionStarted: true, backupFile: join(dir, 'backups', 'v1.0.0-pre-update.tar') });
    expect(envTag(dir)).toBe('v1.1.0');
    expect(stackTag(dir)).toBe('v1.1.0');
    expect(stateOnDisk(dir)).toBeUndefined();
    expect(events.filter((e) => e.type === 'step-started').map((e) => (e as { step: string }).step)).toEqual(['pull', 'backup', 'switch', 'start', 'health']);
  });

  it('keeps the stack copy\'s comments and other keys when it switches the tag', async () => {
    const { dir, run } = await setup('v1.0.0');
    await run('v1.1.0');
    const { readFileSync } = await import('node:fs');
    const copy = readFileSync(join(dir, 'openmates-stack.yml'), 'utf8');
    expect(copy).toContain('# the test stack');
    expect(copy).toContain('healthTimeout: 2');
    expect(readFileSync(join(dir, '.env'), 'utf8')).toContain('DATABASE_PASSWORD=secret');
  });

  it('rolls a never-healthy version back by itself, restoring the data, and ends in "rolled-back"', async () => {
    const { dir, compose, backup, run } = await setup('v1.1.0');
    const error = await failureOf(run());
    expect(isOpenmatesError(error) && error.kind).toBe('rolled-back');
    expect((error as Error).message).toBe(
      'The update to v1.2.0 failed (v1.2.0 did not start: api is unhealthy) and was rolled back: v1.1.0 is running and healthy again.',
    );
    expect((error as OpenmatesError).hint).toContain(`restored from the pre-update backup ${join(dir, 'backups', 'v1.1.0-pre-update.tar')}`);
    expect((error as OpenmatesError).details).toEqual(expect.arrayContaining(['  openmates-api v1.2.0 starting', '  ERROR: for worker  Container "abc" is unhealthy.']));
    expect(backup.calls).toEqual(['backup pre-update', `restore ${join(dir, 'backups', 'v1.1.0-pre-update.tar')}`]);
    // The restore ran on the previous tag, recorded as a rollback under way.
    expect(backup.states.restore).toMatchObject({ phase: 'rolling-back', newVersionStarted: true });
    expect(compose.ups).toEqual(['v1.2.0', 'v1.1.0']);
    expect(envTag(dir)).toBe('v1.1.0');
    expect(stackTag(dir)).toBe('v1.1.0');
    expect(stateOnDisk(dir)).toBeUndefined();
  });

  it('ends in "rollback-failed", keeping the state for the next run, when the previous version does not come back', async () => {
    const { dir, backup, run } = await setup('v1.1.0');
    backup.failures.restore = new OpenmatesError('operation-failed', 'The disk is full.');
    const error = await failureOf(run());
    expect(isOpenmatesError(error) && error.kind).toBe('rollback-failed');
    expect((error as Error).message).toContain('and rolling back to v1.1.0 failed too: The disk is full.');
    expect((error as OpenmatesError).hint).toContain(`openmates server update --yes --path ${dir}`);
    expect((error as OpenmatesError).hint).toContain('set OPENMATES_IMAGE_TAG=v1.1.0 in');
    expect((error as OpenmatesError).hint).toContain('--confirm "restore demo on');
    expect(stateOnDisk(dir)).toMatchObject({ phase: 'rolling-back', from: 'v1.1.0', to: 'v1.2.0' });
  });

  it('changes nothing when a pull fails', async () => {
    const { dir, engine, compose, backup, run } = await setup('v1.0.0');
    engine.failingPulls.set(`${registry!.host}/ns/openmates-api:v1.1.0`, 'manifest unknown');
    const error = await failureOf(run('v1.1.0'));
    expect((error as OpenmatesError).hint).toContain('Nothing was changed: v1.0.0 runs as before.');
    expect(backup.calls).toEqual([]);
    expect(compose.ups).toEqual([]);
    expect(envTag(dir)).toBe('v1.0.0');
    expect(stateOnDisk(dir)).toBeUndefined();
  });

  it('puts the current version back up when the backup fails, and does not switch', async () => {
    const { dir, compose, backup, run } = await setup('v1.0.0');
    backup.failures.backup = new OpenmatesError('operation-failed', 'Could not write the backup: disk full.');
    const error = await failureOf(run('v1.1.0'));
    expect((error as Error).message).toBe('Could not write the backup: disk full.');
    expect((error as OpenmatesError).hint).toContain('The update did not start: v1.0.0 runs as before.');
    expect(compose.ups).toEqual(['v1.0.0']);
    expect(envTag(dir)).toBe('v1.0.0');
    expect(stateOnDisk(dir)).toBeUndefined();
  });

  it('refuses to start when the disk is too small, before anything changes', async () => {
    const { dir, deps, backup, plan, compose } = await setup('v1.0.0');
    const planned = await plan('v1.1.0');
    const error = await failureOf(runUpdate({ ...planned, disk: [{ what: 'backup', path: dir, freeBytes: 10, neededBytes: 1000, enough: false }] }, deps, ignoreEvents, undefined, backup.tools));
    expect(isOpenmatesError(error) && error.kind).toBe('preflight');
    expect(compose.ups).toEqual([]);
    expect(stateOnDisk(dir)).toBeUndefined();
  });
});

describe('planning an update', () => {
  it('picks the newest stable release, lists what to pull, and refuses unknown or older tags', async () => {
    const { plan } = await setup('v1.0.0');
    const planned = await plan();
    expect(planned).toMatchObject({ current: 'v1.0.0', target: 'v1.2.0', latest: 'v1.2.0', upToDate: false, backup: { volumes: ['demo-postgres-data'] } });
    expect(planned.imagesToPull).toEqual([`${registry!.host}/ns/openmates-api:v1.2.0`]);
    await expect(plan('v9.0.0')).rejects.toMatchObject({ kind: 'usage', message: `v9.0.0 is not a version of ${registry!.host}/ns/openmates-api.` });
    const older = await setup('v1.1.0');
    await expect(older.plan('v1.0.0')).rejects.toMatchObject({ kind: 'unsafe' });
  });

  it('is up to date on the newest release', async () => {
    const { plan, run, compose } = await setup('v1.2.0', []);
    expect(await plan()).toMatchObject({ upToDate: true, target: 'v1.2.0' });
    expect(await run()).toMatchObject({ outcome: 'up-to-date', version: 'v1.2.0' });
    expect(compose.ups).toEqual([]);
  });

  it('refuses while another live openmates is updating this install', async () => {
    const { dir, plan } = await setup('v1.0.0');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)', 'openmates'], { stdio: 'ignore' });
    try {
      writeInterruptedState(dir, { phase: 'waiting', from: 'v1.0.0', to: 'v1.1.0', pid: other.pid! });
      await expect(plan()).rejects.toThrow(`is running right now (openmates, pid ${other.pid})`);
    } finally {
      other.kill();
    }
  });

  it('names a corrupt state file instead of guessing', async () => {
    const { dir, plan } = await setup('v1.0.0');
    writeFileSync(join(dir, 'update-state.json'), '{"format": 1, "phase": "sideways"');
    await expect(plan()).rejects.toMatchObject({ kind: 'invalid-config', message: `The update state file ${join(dir, 'update-state.json')} is not valid.` });
  });
});

describe('resolving an update a kill interrupted', () => {
  it('interrupted while switching: finishes without pulling or backing up again, with the registry unreachable', async () => {
    const { dir, compose, backup, deps, environment } = await setup('v1.0.0');
    await registry!.close();
    writeInterruptedState(dir, { phase: 'switching', from: 'v1.0.0', to: 'v1.1.0', newVersionStarted: true, backupFile: '/b/v1.0.0.tar' });
    const planned = await planUpdate({ installDir: dir }, deps, ignoreEvents, undefined, environment);
    expect(planned).toMatchObject({ current: 'v1.0.0', target: 'v1.1.0', resume: 'finish', interrupted: { phase: 'switching', running: false } });
    const result = await runUpdate(planned, deps, ignoreEvents, undefined, backup.tools);
    expect(result).toMatchObject({ outcome: 'updated', version: 'v1.1.0', backupFile: '/b/v1.0.0.tar' });
    expect(backup.calls).toEqual([]);
    expect(compose.ups).toEqual(['v1.1.0']);
    expect(stateOnDisk(dir)).toBeUndefined();
  });

  it('interrupted while backing up: starts over with a fresh backup, then finishes', async () => {
    const { dir, compose, backup, plan, deps } = await setup('v1.0.0');
    writeInterruptedState(dir, { phase: 'backing-up', from: 'v1.0.0', to: 'v1.1.0' });
    const result = await runUpdate(await plan(), deps, ignoreEvents, undefined, backup.tools);
    expect(result).toMatchObject({ outcome: 'updated', version: 'v1.1.0' });
    expect(backup.calls).toEqual(['backup pre-update']);
    expect(compose.ups).toEqual(['v1.1.0']);
  });

  it('a chosen rollback after the new version started restores the data and returns (no error)', async () => {
    const { dir, compose, backup, plan, deps } = await setup('v1.0.0');
    writeInterruptedState(dir, { phase: 'waiting', from: 'v1.0.0', to: 'v1.1.0', newVersionStarted: true, backupFile: '/b/v1.0.0.tar' });
    await (await import('node:fs/promises')).writeFile(join(dir, '.env'), `OPENMATES_IMAGE_REGISTRY=${registry!.host}/ns\nOPENMATES_IMAGE_TAG=v1.1.0\n`);
    const result = await runUpdate({ ...(await plan()), resume: 'roll-back' }, deps, ignoreEvents, undefined, backup.tools);
    expect(result).toMatchObject({ outcome: 'rolled-back', version: 'v1.0.0' });
    expect(backup.calls).toEqual(['restore /b/v1.0.0.tar']);
    expect(envTag(dir)).toBe('v1.0.0');
    expect(compose.ups).toEqual(['v1.0.0']);
    expect(stateOnDisk(dir)).toBeUndefined();
  });

  it('a chosen rollback before anything was switched only starts the current version again', async () => {
    const { dir, compose, backup, plan, deps } = await setup('v1.0.0');
    writeInterruptedState(dir, { phase: 'pulling', from: 'v1.0.0', to: 'v1.1.0' });
    const result = await runUpdate({ ...(await plan()), resume: 'roll-back' }, deps, ignoreEvents, undefined, backup.tools);
    expect(result).toMatchObject({ outcome: 'rolled-back', version: 'v1.0.0' });
    expect(backup.calls).toEqual([]);
    expect(compose.ups).toEqual(['v1.0.0']);
  });

  it('interrupted while rolling back: can only finish the rollback, which --yes does', async () => {
    const { dir, backup, plan, deps } = await setup('v1.1.0');
    writeInterruptedState(dir, { phase: 'rolling-back', from: 'v1.1.0', to: 'v1.2.0', newVersionStarted: true, backupFile: '/b/v1.1.0.tar' });
    const planned = await plan();
    expect(planned.resume).toBe('roll-back');
    expect(await runUpdate(planned, deps, ignoreEvents, undefined, backup.tools)).toMatchObject({ outcome: 'rolled-back', version: 'v1.1.0' });
    expect(backup.calls).toEqual(['restore /b/v1.1.0.tar']);
    expect(existsSync(join(dir, 'update-state.json'))).toBe(false);
  });

  it('refuses --to another version while one is interrupted', async () => {
    const { dir, plan } = await setup('v1.0.0');
    writeInterruptedState(dir, { phase: 'waiting', from: 'v1.0.0', to: 'v1.1.0', newVersionStarted: true, backupFile: '/b.tar' });
    await expect(plan('v1.2.0')).rejects.toMatchObject({ kind: 'usage', message: 'An interrupted update to v1.1.0 has to be finished or rolled back before updating to v1.2.0.' });
  });
});
