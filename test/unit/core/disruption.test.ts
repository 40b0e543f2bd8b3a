import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { describeDisruption, needsExplicitYes } from '../../../src/core/safety/disruption.js';
import { confirmInSafetyMode } from '../../../src/cli/safety-gate.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';
import { OpenmatesError } from '../../../src/core/errors.js';

const disruption = describeDisruption({ action: 'restart', project: 'openmates-core', services: ['api', 'webapp', 'cms'], downtime: 'usually under a minute' });

function streams() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  stderr.on('data', (chunk) => (err += String(chunk)));
  return { context: { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, signal: new AbortController().signal }, out: () => out, err: () => err };
}

describe('safety mode gate for restart and update', () => {
  const tty = process.stdin.isTTY;
  afterEach(() => {
    process.stdin.isTTY = tty;
  });

  it('describes what happens: downtime, which services, what it means, and that no data is deleted', () => {
    expect(disruption.headline).toBe('Restart openmates-core: stop and start its 3 services.');
    expect(disruption.consequences.join('\n')).toContain('unreachable while this runs (usually under a minute)');
    expect(disruption.consequences.at(-1)).toBe('No data is deleted.');
    const update = describeDisruption({ action: 'update', project: 'openmates-core', services: ['api'], downtime: 'a few minutes', fromVersion: 'v1.0.0', toVersion: 'v1.1.0', also: ['A backup is taken first.'] });
    expect(update.headline).toBe('Update openmates-core from v1.0.0 to v1.1.0: replace its 1 service with the new version.');
    expect(update.consequences).toContain('A backup is taken first.');
  });

  it('asks only in safety mode', () => {
    expect(needsExplicitYes(true)).toBe(true);
    expect(needsExplicitYes(false)).toBe(false);
    expect(needsExplicitYes(undefined)).toBe(false);
  });

  it('outside safety mode it neither prints nor asks', async () => {
    const io = streams();
    process.stdin.isTTY = false as never;
    await confirmInSafetyMode(disruption, { yes: false, json: false }, io.context, false);
    expect(io.err()).toBe('');
  });

  it('in safety mode without a terminal and without --yes: exit 9 naming --yes, after showing what it would do', async () => {
    const io = streams();
    process.stdin.isTTY = false as never;
    const error = await confirmInSafetyMode(disruption, { yes: false, json: false }, io.context, true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('needs-answer');
    expect(exitCodeFor((error as OpenmatesError).kind)).toBe(9);
    expect((error as OpenmatesError).hint).toContain('--yes');
    expect(io.err()).toContain('Safety mode is on');
    expect(io.err()).toContain('Services: api, webapp, cms');
  });

  it('in safety mode --yes answers it (and --json gets the notice as an object)', async () => {
    const io = streams();
    process.stdin.isTTY = false as never;
    await confirmInSafetyMode(disruption, { yes: true, json: true }, io.context, true);
    const line = JSON.parse(io.out().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ type: 'confirmation', safetyMode: true, action: 'restart', services: ['api', 'webapp', 'cms'] });
  });
});
