import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileInVolume, runCli, type TestStack } from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { envValue, expectHealthyOn, installedStack, markerOf, startNpmRegistry, type LocalServer } from './update-helpers.js';

let npm: LocalServer;
beforeAll(async () => {
  npm = await startNpmRegistry('openmates-server-cli', '0.1.0');
});
afterAll(async () => {
  await npm?.close();
});

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.cleanup();
  stack = undefined;
});

const cli = (args: string[]) => runCli(args, { env: { OPENMATES_NPM_REGISTRY: npm.url } });

describe('openmates server update (real engine, registry and Compose)', () => {
  it('plans v1.0.0 -> v1.1.0 with --check, then updates: healthy on v1.1.0, the marker still in the data volume', async () => {
    const installed = await installedStack('upd-ok', 'v1.0.0');
    stack = installed.stack;

    const check = await cli(['server', 'update', '--check', '--json', '--path', stack.installDir]);
    expect(check.exitCode, check.stderr).toBe(0);
    expect(finalObject(check.stdout)).toMatchObject({
      type: 'result',
      check: true,
      current: 'v1.0.0',
      latest: 'v1.2.0',
      target: 'v1.2.0',
      updateAvailable: true,
      backup: { volumes: stack.dataVolumes },
      cli: { current: '0.1.0', latest: '0.1.0', available: false },
    });
    const human = await cli(['server', 'update', '--check', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toContain(`${stack.project}  v1.0.0 → v1.1.0  (newest stable release: v1.2.0)`);
    expect(human.stdout).toMatch(/Pull\s+5 images of v1\.1\.0/);
    expect(human.stdout).toContain(stack.dataVolumes[0]);
    expect(human.stdout).toContain('Run `openmates server update --to v1.1.0` to update.');
    // --check changed nothing.
    expect(envValue(stack, 'OPENMATES_IMAGE_TAG')).toBe('v1.0.0');

    const update = await cli(['server', 'update', '--yes', '--json', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(update.exitCode, update.stderr).toBe(0);
    const events = jsonLines(update.stdout);
    const order = ['pull', 'backup', 'switch', 'start', 'health'].map((step) => events.findIndex((e) => e.type === 'step-started' && e.step === step));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Every image was pulled before the backup stopped anything.
    expect(events.findLastIndex((e) => e.type === 'pull-progress')).toBeLessThan(order[1]!);
    const result = finalObject(update.stdout);
    expect(result).toMatchObject({ type: 'result', ok: true, outcome: 'updated', from: 'v1.0.0', version: 'v1.1.0' });

    await expectHealthyOn(stack, 'v1.1.0');
    expect(await markerOf(stack)).toBe(installed.marker);
    expect(envValue(stack, 'OPENMATES_IMAGE_TAG')).toBe('v1.1.0');
    expect(readFileSync(join(stack.installDir, 'openmates-stack.yml'), 'utf8')).toMatch(/^tag: v1\.1\.0$/m);
    expect(existsSync(join(stack.installDir, 'update-state.json'))).toBe(false);
    expect(existsSync(result.backupFile as string)).toBe(true);
    expect(readdirSync(join(stack.installDir, 'backups')).some((name) => name.includes('v1.0.0') && name.endsWith('pre-update.tar'))).toBe(true);

    const again = await cli(['server', 'update', '--yes', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${stack.project} is already on v1.1.0 (the newest stable release is v1.2.0).`);
  });

  it('rolls v1.1.0 -> v1.2.0 (never healthy) back by itself: v1.1.0 healthy, its data restored, exit 12', async () => {
    const installed = await installedStack('upd-rollback', 'v1.1.0');
    stack = installed.stack;

    const update = await cli(['server', 'update', '--yes', '--json', '--timeout', '30', '--path', stack.installDir]);
    expect(update.exitCode, update.stderr).toBe(12);
    const error = finalObject(update.stdout);
    expect(error).toMatchObject({ type: 'error', kind: 'rolled-back', exitCode: 12 });
    expect(error.details).toEqual(expect.arrayContaining([expect.stringContaining('openmates-api v1.2.0 starting')]));
    const steps = jsonLines(update.stdout).filter((e) => e.type === 'step-started').map((e) => e.step);
    expect(steps).toEqual(['plan', 'pull', 'backup', ...steps.filter((s) => String(s).startsWith('backup:')), 'switch', 'start', 'rollback', 'restore', ...steps.filter((s) => String(s).startsWith('restore:')), 'rollback-health']);
    // The human report goes to stderr also with --json.
    expect(update.stderr).toContain('✗ The update to v1.2.0 failed (v1.2.0 did not start: api is unhealthy');
    expect(update.stderr).toContain('and was rolled back: v1.1.0 is running and healthy again.');
    expect(update.stderr).toContain('The data volumes were restored from the pre-update backup');
    // What failed: the failing service's own last log lines.
    expect(update.stderr).toContain('api (unhealthy):');
    expect(update.stderr).toContain('openmates-api v1.2.0 listening on :8000 (health: {"status":"unhealthy","version":"v1.2.0"})');

    await expectHealthyOn(stack, 'v1.1.0');
    expect(await markerOf(stack)).toBe(installed.marker);
    // v1.2.0's database did start on the volume (it logs every start there); the restore took that back.
    const starts = await readFileInVolume(stack.dataVolumes[0]!, 'starts.log');
    expect(starts).toContain('started v1.1.0');
    expect(starts).not.toContain('started v1.2.0');
    expect(envValue(stack, 'OPENMATES_IMAGE_TAG')).toBe('v1.1.0');
    expect(readFileSync(join(stack.installDir, 'openmates-stack.yml'), 'utf8')).toMatch(/^tag: v1\.1\.0$/m);
    expect(existsSync(join(stack.installDir, 'update-state.json'))).toBe(false);
  });

  it('refuses a tag the registry does not have, and a downgrade, changing nothing', async () => {
    const installed = await installedStack('upd-refuse', 'v1.1.0');
    stack = installed.stack;
    const unknown = await cli(['server', 'update', '--yes', '--to', 'v9.9.9', '--path', stack.installDir]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain(`v9.9.9 is not a version of ${stack.registry}/openmates-test/openmates-api.`);
    const older = await cli(['server', 'update', '--yes', '--to', 'v1.0.0', '--path', stack.installDir]);
    expect(older.exitCode).toBe(8);
    expect(older.stderr).toContain('v1.0.0 is older than the installed v1.1.0');
    const noAnswer = await cli(['server', 'update', '--path', stack.installDir]);
    expect(noAnswer.exitCode).toBe(9);
    expect(noAnswer.stderr).toContain('Pass --yes to answer yes.');
    expect(envValue(stack, 'OPENMATES_IMAGE_TAG')).toBe('v1.1.0');
    await expectHealthyOn(stack, 'v1.1.0');
  });
});
