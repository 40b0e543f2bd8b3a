/**
 * kill -9 of the CLI in the middle of an update (no chance to clean up: Compose it started keeps
 * running on its own), then `openmates server update --yes`: the stack must end healthy on one
 * consistent version, with the data written before the update still there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileInVolume, runCli, type TestStack } from './harness/index.js';
import { finalObject } from './json-lines.js';
import { envValue, expectHealthyOn, installedStack, markerOf, startNpmRegistry, updateKilledAt, type LocalServer } from './update-helpers.js';

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

function stateOf(stack: TestStack): { phase: string; from: string; to: string } {
  return JSON.parse(readFileSync(join(stack.installDir, 'update-state.json'), 'utf8')) as { phase: string; from: string; to: string };
}

const resume = (stack: TestStack, extra: string[] = []) =>
  runCli(['server', 'update', '--yes', '--timeout', '40', '--path', stack.installDir, ...extra], { env: { OPENMATES_NPM_REGISTRY: npm.url } });

describe('an update killed with SIGKILL, then `openmates server update --yes`', () => {
  it('killed while Compose recreates the services on v1.1.0: finishes the update', async () => {
    const installed = await installedStack('crash-start', 'v1.0.0');
    stack = installed.stack;
    await updateKilledAt(npm, stack.installDir, ['--to', 'v1.1.0'], (step) => step === 'start');
    expect(stateOf(stack)).toMatchObject({ phase: 'switching', from: 'v1.0.0', to: 'v1.1.0' });

    const status = finalObject((await runCli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(status).toMatchObject({ interruptedUpdate: { from: 'v1.0.0', to: 'v1.1.0', phase: 'switching' } });

    const resumed = await resume(stack);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('An update from v1.0.0 to v1.1.0 was interrupted while switching to v1.1.0.');
    expect(resumed.stdout).toContain('is on v1.1.0 and healthy (was v1.0.0).');
    await expectHealthyOn(stack, 'v1.1.0');
    expect(await markerOf(stack)).toBe(installed.marker);
    expect(existsSync(join(stack.installDir, 'update-state.json'))).toBe(false);
  });

  it('killed while copying a volume for the pre-update backup (the database stopped): finishes the update', async () => {
    const installed = await installedStack('crash-backup', 'v1.0.0');
    stack = installed.stack;
    await updateKilledAt(npm, stack.installDir, ['--to', 'v1.1.0'], (step) => step.startsWith('backup:volume:'));
    expect(stateOf(stack)).toMatchObject({ phase: 'backing-up' });

    const resumed = await resume(stack);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('was interrupted while taking the pre-update backup.');
    await expectHealthyOn(stack, 'v1.1.0');
    expect(await markerOf(stack)).toBe(installed.marker);
    expect(envValue(stack, 'OPENMATES_IMAGE_TAG')).toBe('v1.1.0');
  });

  it('killed half-way through restoring the data of a failed v1.2.0: finishes the rollback to v1.1.0', async () => {
    const installed = await installedStack('crash-restore', 'v1.1.0');
    stack = installed.stack;
    const steps = await updateKilledAt(npm, stack.installDir, ['--to', 'v1.2.0', '--timeout', '30'], (step) => step.startsWith('restore:volume:'));
    expect(steps).toContain('rollback');
    expect(stateOf(stack)).toMatchObject({ phase: 'rolling-back', from: 'v1.1.0', to: 'v1.2.0' });

    const resumed = await resume(stack);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('was interrupted while rolling back to v1.1.0.');
    expect(resumed.stdout).toContain('Rolled back:');
    await expectHealthyOn(stack, 'v1.1.0');
    expect(await markerOf(stack)).toBe(installed.marker);
    expect(await readFileInVolume(stack.dataVolumes[0]!, 'starts.log')).not.toContain('started v1.2.0');
  });
});
