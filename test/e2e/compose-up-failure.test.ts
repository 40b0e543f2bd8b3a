/**
 * A compose file Compose accepts (`config -q`) but whose `up` fails in the engine: install ends
 * with exit 6 and Compose's own cause, not a health timeout (exit 7) naming services that were
 * never created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, runCli, testCompose, type TestStack } from './harness/index.js';
import { finalObject } from './json-lines.js';

/** The engine refuses to create a container with a capability that does not exist. */
const withBogusCapability = (source: string) => source.replace(/^  api:\n/m, '  api:\n    cap_add:\n      - NOT_A_CAPABILITY\n');

describe(`install when Compose's up fails (Compose ${testCompose()})`, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ name: 'up-fails', transformCompose: withBogusCapability });
  });
  afterAll(async () => {
    await stack?.cleanup();
  });

  it("exit 6 with the engine's reason as Compose gave it", async () => {
    const result = await runCli(['server', 'install', '--yes', '--json', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(result.exitCode, result.stderr).toBe(6);
    const error = finalObject(result.stdout);
    expect(error).toMatchObject({ type: 'error', kind: 'operation-failed', exitCode: 6 });
    expect(error.message).toMatch(/^Compose could not start the stack: .*NOT_A_CAPABILITY/i);
    expect(result.stderr).not.toMatch(/not healthy|was not created|wrong Compose file version/);
  });
});
