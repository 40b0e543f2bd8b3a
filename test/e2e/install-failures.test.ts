import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { containersOf, createTestStack, networkExists, runCli, type TestStack } from './harness/index.js';
import { finalObject } from './json-lines.js';

const stacks: TestStack[] = [];
async function newStack(name: string, tag?: string): Promise<TestStack> {
  const stack = await createTestStack({ name, tag });
  stacks.push(stack);
  return stack;
}
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.cleanup()));
});

const install = (stack: TestStack, extra: string[] = [], env?: Record<string, string | undefined>) =>
  runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir, ...extra], { env });

describe('install refuses bad input with a clear error and its own exit code', () => {
  it('engine unreachable: exit 5, names the socket and the fix', async () => {
    const stack = await newStack('noengine');
    const result = await install(stack, ['--json'], { DOCKER_HOST: 'unix:///tmp/omt-no-such-engine.sock' });
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain('Cannot reach the Docker engine at unix:///tmp/omt-no-such-engine.sock');
    expect(result.stderr).toContain('systemctl start docker');
    expect(finalObject(result.stdout)).toMatchObject({ type: 'error', kind: 'engine-unreachable', exitCode: 5 });
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('OPENMATES_COMPOSE set to something else than v1, v2 or a path: exit 2, names the values it takes', async () => {
    const stack = await newStack('badcompose');
    const result = await install(stack, ['--json'], { OPENMATES_COMPOSE: 'compose3' });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('OPENMATES_COMPOSE=compose3 is not a Compose choice.');
    expect(finalObject(result.stdout)).toMatchObject({ type: 'error', kind: 'usage', exitCode: 2 });
    expect(await containersOf(stack.project)).toEqual([]);
  });

  it('port taken: exit 4, names the port and what holds it, changes nothing', async () => {
    const stack = await newStack('porttaken');
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(stack.apiPort, '127.0.0.1', resolve));
    try {
      const result = await install(stack);
      expect(result.exitCode).toBe(4);
      expect(result.stderr).toContain(`Port ${stack.apiPort}: in use by node (pid ${process.pid})`);
      expect(await containersOf(stack.project)).toEqual([]);
      expect(await networkExists(stack.network)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('invalid stack file: exit 3, names the file, the field and what was expected', async () => {
    const stack = await newStack('badstack');
    await writeFile(stack.stackFile, (await readFile(stack.stackFile, 'utf8')).replace(/^ports:/m, 'portz:'));
    const result = await install(stack);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`The stack file ${stack.stackFile} is not valid: the file has unknown key "portz"`);
  });

  it('registry unreachable: exit 6 before anything starts; fixing the stack and running again repairs it', async () => {
    const stack = await newStack('noregistry');
    const good = await readFile(stack.stackFile, 'utf8');
    await writeFile(stack.stackFile, good.replace(`registry: ${stack.registry}/`, 'registry: 127.0.0.1:1/'));
    const result = await install(stack);
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toMatch(/Could not pull 127\.0\.0\.1:1\/openmates-test\/openmates-\w+:v1\.0\.0/);
    expect(result.stderr).toContain('unreachable');
    expect(await containersOf(stack.project)).toEqual([]);

    await writeFile(stack.stackFile, good);
    const repaired = await install(stack);
    expect(repaired.exitCode, repaired.stderr).toBe(0);
  });

  it('image missing: exit 6, says the tag does not exist', async () => {
    const stack = await newStack('notag', 'v9.9.9');
    const result = await install(stack);
    expect(result.exitCode).toBe(6);
    expect(result.stderr).toContain('v9.9.9');
    expect(result.stderr).toMatch(/does not exist/);
    expect(await containersOf(stack.project)).toEqual([]);
  });

  it('health never comes: exit 7 naming the service with its last log lines; the next run with a good version repairs it', async () => {
    const stack = await newStack('unhealthy', 'v1.2.0');
    const result = await install(stack, ['--timeout', '25']);
    expect(result.exitCode).toBe(7);
    expect(result.stderr).toMatch(/api is (unhealthy|starting)/);
    expect(result.stderr).toContain('openmates-api v1.2.0'); // its own log line, shown under the error
    expect(result.stderr).not.toMatch(/\n\s+at /);

    await writeFile(stack.stackFile, (await readFile(stack.stackFile, 'utf8')).replace(/^tag: .*$/m, 'tag: v1.0.0'));
    const repaired = await install(stack, ['--json']);
    expect(repaired.exitCode, repaired.stderr).toBe(0);
    expect(finalObject(repaired.stdout)).toMatchObject({ ok: true, version: 'v1.0.0' });
  });

  it('without a terminal and without --yes it does not wait: exit 9 naming --yes', async () => {
    const stack = await newStack('noanswer');
    const result = await runCli(['server', 'install', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(result.exitCode).toBe(9);
    expect(result.stderr).toContain('Pass --yes');
    expect(await containersOf(stack.project)).toEqual([]);
  });

  it('the full-screen app without a terminal says so and exits 2', async () => {
    const result = await runCli([]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('needs a terminal');
  });
});
