import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/remote/sdk/index.js';
import { createTestStack, dockerOk, runCli, serviceContainer, type TestStack } from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

async function startedAt(containerId: string): Promise<string> {
  return (await dockerOk(['inspect', '--format', '{{.State.StartedAt}}', containerId])).trim();
}

describe('remote access looks after the stack (real engine and Compose)', () => {
  let stack: TestStack;
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'remote' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
  });
  afterAll(async () => {
    await agent?.stop();
    await stack?.cleanup();
  });

  it('with safety mode on, a remote restart is refused and no container restarts', async () => {
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', stack.installDir] });
    const link = await agent.addDevice('phone');
    const before = await startedAt((await serviceContainer(stack.project, 'api')).id);
    for (const action of ['restart', 'stop', 'update']) {
      const result = await agent.cli(['remote', '--link-file', link, 'server', action]);
      expect(result.exitCode, action).toBe(17);
    }
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).toBe(before);
    const status = await agent.cli(['remote', '--link-file', link, 'server', 'status', '--json']);
    expect(status.exitCode, status.stderr).toBe(0);
    expect(finalObject(status.stdout)).toMatchObject({ installed: true });
    await agent.stop();
    agent = undefined;
  });

  it('with safety mode off, `openmates remote server restart` restarts it healthy, its events streamed, and it is audited', async () => {
    agent = await startAgentProcess({ safetyMode: 'off', args: ['--path', stack.installDir] });
    const link = await agent.addDevice('laptop');
    const before = await startedAt((await serviceContainer(stack.project, 'api')).id);
    const result = await agent.cli(['remote', '--link-file', link, 'server', 'restart', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.some((line) => line.type === 'event' && (line.event as { type?: string }).type === 'step-started')).toBe(true);
    expect(finalObject(result.stdout)).toMatchObject({ type: 'result', action: 'restart', project: stack.project });
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).not.toBe(before);
    expect((await fetch(`${stack.apiUrl}/v1/health`)).status).toBe(200);

    const server = await connect(await readFile(link, 'utf8'));
    try {
      const logs = server.server.logs({ tail: 5, services: ['api'] });
      const events: unknown[] = [];
      for await (const event of logs) events.push(event);
      expect(events.some((event) => (event as { type?: string }).type === 'log')).toBe(true);
      const host = await server.host();
      expect(Array.isArray(host.containers) && host.containers.some((container) => container.name.includes(stack.project))).toBe(true);
    } finally {
      server.close();
    }
    const audit = await agent.cli(['remote-access', 'audit', '--json']);
    expect(audit.stdout).toContain('"op":"server.restart"');
  });
});
