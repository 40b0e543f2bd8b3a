import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, runCli, type TestStack } from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';

/** Safety mode's gate before a restart, through the real CLI and engine. */
describe('safety mode: restart needs an explicit yes (real engine)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'safetymode' });
    const install = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(install.exitCode, install.stderr).toBe(0);
  });
  afterAll(async () => {
    await runCli(['config', 'set', 'safety-mode', 'off']);
    await stack?.cleanup();
  });

  const running = async () => (await containersOf(stack.project)).filter((c) => c.state === 'running').map((c) => c.id).sort();

  it('in safety mode, without a terminal and without --yes: exit 9 naming --yes, after saying what it would do; nothing restarts', async () => {
    expect((await runCli(['config', 'set', 'safety-mode', 'on'])).exitCode).toBe(0);
    const before = await running();
    const inspectBefore = (await containersOf(stack.project)).map((c) => c.id).sort();
    const result = await runCli(['server', 'restart', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(9);
    expect(result.stderr).toContain('Safety mode is on (production server).');
    expect(result.stderr).toMatch(/Restart omt-safetymode-\w+: stop and start its 6 services\./);
    expect(result.stderr).toContain('Services: ');
    expect(result.stderr).toContain('Pass --yes');
    expect(await running()).toEqual(before);
    expect((await containersOf(stack.project)).map((c) => c.id).sort()).toEqual(inspectBefore);
  });

  it('--yes answers it: the stack restarts and is healthy', async () => {
    const result = await runCli(['server', 'restart', '--yes', '--json', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(jsonLines(result.stdout).find((line) => line.type === 'confirmation')).toMatchObject({ safetyMode: true, action: 'restart' });
    expect(finalObject(result.stdout)).toMatchObject({ type: 'result', ok: true, action: 'restart' });
  });

  it('in safety mode an update also says what it means and needs --yes; with it, the update runs', async () => {
    expect((await runCli(['config', 'set', 'safety-mode', 'on'])).exitCode).toBe(0);
    const before = (await containersOf(stack.project)).map((c) => c.id).sort();
    const refused = await runCli(['server', 'update', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(refused.exitCode, refused.stderr).toBe(9);
    expect(refused.stderr).toContain('Safety mode is on (production server).');
    expect(refused.stderr).toMatch(/Update omt-safetymode-\w+ from v1\.0\.0 to v1\.1\.0/);
    expect(refused.stderr).toContain('A backup of the data is taken first.');
    expect((await containersOf(stack.project)).map((c) => c.id).sort()).toEqual(before);

    const updated = await runCli(['server', 'update', '--to', 'v1.1.0', '--yes', '--json', '--path', stack.installDir]);
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(jsonLines(updated.stdout).find((line) => line.type === 'confirmation')).toMatchObject({ safetyMode: true, action: 'update' });
    expect(finalObject(updated.stdout)).toMatchObject({ type: 'result', ok: true, version: 'v1.1.0' });
  });

  it('outside safety mode a restart runs without the question', async () => {
    expect((await runCli(['config', 'set', 'safety-mode', 'off'])).exitCode).toBe(0);
    const result = await runCli(['server', 'restart', '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Safety mode is on');
  });
});
