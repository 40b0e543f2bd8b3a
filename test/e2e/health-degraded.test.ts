import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, runCli, type TestStack } from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { expectHealthyOn, runningVersions, startNpmRegistry, type LocalServer } from './update-helpers.js';

/**
 * Upstream's /v1/health answers HTTP 200 with status "degraded" while some providers or apps are
 * not healthy: up, with a warning. "unhealthy" (also HTTP 200) is down. The fixture api answers
 * what API_HEALTH_STATUS in .env says (only on API_HEALTH_ONLY_IN when set), in upstream's shape.
 */
let npm: LocalServer;
beforeAll(async () => {
  npm = await startNpmRegistry('openmates-server-cli', '0.1.0');
});
afterAll(async () => {
  await npm?.close();
});

const stacks: TestStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.cleanup()));
});

const cli = (args: string[]) => runCli(args, { env: { OPENMATES_NPM_REGISTRY: npm.url } });

/** A test stack whose api answers `health` (written into .env through the stack's env defaults). */
async function stackAnswering(name: string, health: Record<string, string>): Promise<TestStack> {
  const stack = await createTestStack({ name });
  stacks.push(stack);
  const text = await readFile(stack.stackFile, 'utf8');
  const extra = Object.entries(health).map(([key, value]) => `  ${key}: ${value}\n`).join('');
  await writeFile(stack.stackFile, text.replace(/^env:\n/m, `env:\n${extra}`));
  return stack;
}

const install = (stack: TestStack, extra: string[] = []) => cli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir, ...extra]);
const REASONS = ['providers.openai unhealthy', 'apps.images degraded'];

describe('a health check answering degraded (real engine, registry and Compose)', () => {
  it('install and update end successfully on degraded, with the warning and its reasons; status and --json say so', async () => {
    const stack = await stackAnswering('degraded', { API_HEALTH_STATUS: 'degraded' });
    const installed = await install(stack);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`${stack.project} v1.0.0 is installed and up, degraded.`);
    expect(installed.stdout).toContain(`! API answers degraded: ${REASONS.join(', ')}`);
    expect(installed.stderr).toContain(`! All 6 services ready, 2 health checks answering, but API answers degraded (${REASONS.join(', ')})`);
    expect(await (await fetch(`${stack.apiUrl}/v1/health`)).json()).toMatchObject({ status: 'degraded', providers: { openai: { status: 'unhealthy' } } });

    const status = await cli(['server', 'status', '--path', stack.installDir]);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toContain(' · up, degraded · ');
    expect(status.stdout).toMatch(new RegExp(`! API .*/v1/health {2}degraded: ${REASONS.join(', ')}`));
    const statusJson = finalObject((await cli(['server', 'status', '--json', '--path', stack.installDir])).stdout);
    expect(statusJson).toMatchObject({ installed: true, healthy: true, degraded: true });
    expect(statusJson.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'API', ok: true, degraded: true, reasons: REASONS })]));

    const update = await cli(['server', 'update', '--yes', '--json', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(update.exitCode, update.stderr).toBe(0);
    expect(finalObject(update.stdout)).toMatchObject({ type: 'result', outcome: 'updated', version: 'v1.1.0', degraded: [{ name: 'API', reasons: REASONS }] });
    expect(jsonLines(update.stdout)).toContainEqual({ type: 'step-finished', step: 'health', outcome: 'warning', detail: `All 6 services ready on v1.1.0, but API answers degraded (${REASONS.join(', ')})` });
    expect(jsonLines(update.stdout)).toContainEqual(expect.objectContaining({ type: 'check', name: 'API', ok: true, level: 'warning', degraded: true, reasons: REASONS }));
    const versions = await runningVersions(stack);
    expect(versions.api).toMatchObject({ tag: 'v1.1.0', health: 'healthy' });
  });

  it('an api answering HTTP 200 "unhealthy" fails the install, naming the check', async () => {
    const stack = await stackAnswering('unhealthy', { API_HEALTH_STATUS: 'unhealthy' });
    const result = await install(stack, ['--timeout', '20']);
    // Not ready: exit 7 (6 if Compose's own `up` failure is what reports it, as the worker waits for a healthy api).
    expect([6, 7], result.stderr).toContain(result.exitCode);
    expect(result.stderr).toContain('api is unhealthy');
    expect(result.stderr).toContain('"status":"unhealthy"');
  });

  it('an update to a version answering "unhealthy" rolls back to the previous one, healthy', async () => {
    const stack = await stackAnswering('unhealthy-update', { API_HEALTH_STATUS: 'unhealthy', API_HEALTH_ONLY_IN: 'v1.1.0' });
    const installed = await install(stack);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(installed.stdout).toContain('is installed and healthy.');

    const update = await cli(['server', 'update', '--yes', '--json', '--timeout', '30', '--to', 'v1.1.0', '--path', stack.installDir]);
    expect(update.exitCode, update.stderr).toBe(12);
    expect(finalObject(update.stdout)).toMatchObject({ type: 'error', kind: 'rolled-back', exitCode: 12 });
    expect(update.stderr).toContain('v1.0.0 is running and healthy again');
    await expectHealthyOn(stack, 'v1.0.0');
  });
});
