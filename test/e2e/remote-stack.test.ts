import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Approval } from '../../src/remote/sdk/index.js';
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

  it('with safety mode on, a remote restart or stop waits, shows the core\'s downtime text, and denied, no container restarts; approved, it restarts healthy', async () => {
    agent = await startAgentProcess({ safetyMode: 'on', args: ['--path', stack.installDir] });
    const link = await agent.addDevice('phone');
    const before = await startedAt((await serviceContainer(stack.project, 'api')).id);
    for (const action of ['restart', 'stop']) {
      const running = agent.cli(['remote', '--link-file', link, 'server', action]);
      const approval: Approval | undefined = await agent.pendingApproval();
      expect(approval, agent.stderr()).toBeDefined();
      expect(approval!.details).toMatchObject({ kind: 'service', action, services: expect.arrayContaining(['api']) });
      if (action === 'restart') {
        expect(approval!.headline).toMatch(new RegExp(`^Restart ${stack.project}: stop and start its \\d+ services\\.$`));
        expect((approval!.details as { consequences: string[] }).consequences).toContain('No data is deleted.');
      }
      expect((await agent.cli(['remote-access', 'deny', approval!.id, '--reason', 'users are online'])).exitCode).toBe(0);
      const result = await running;
      expect(result.exitCode, action).toBe(16);
      expect(result.stderr).toContain('users are online');
    }
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).toBe(before);

    // Approved, the restart runs: the container restarts and the stack is healthy again.
    const restart = agent.cli(['remote', '--link-file', link, 'server', 'restart']);
    const pendingId: string | undefined = (await agent.pendingApproval()).id;
    expect((await agent.cli(['remote-access', 'approve', pendingId!])).exitCode).toBe(0);
    const restarted = await restart;
    expect(restarted.exitCode, restarted.stderr).toBe(0);
    expect(restarted.stderr).toContain(`waiting for approval ${pendingId}`);
    expect(await startedAt((await serviceContainer(stack.project, 'api')).id)).not.toBe(before);
    expect((await fetch(`${stack.apiUrl}/v1/health`)).status).toBe(200);
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
