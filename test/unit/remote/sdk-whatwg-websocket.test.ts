import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLink } from '../../../src/remote/link.js';
import { serveRpc } from '../../../src/remote/rpc/serve.js';
import { startTestAgent, type TestAgent } from './test-agent.js';

let agent: TestAgent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

describe('the SDK over a WHATWG WebSocket (the browser API)', () => {
  it('connects and reads through the global WebSocket when there is one, without ws', async () => {
    const content = new TextEncoder().encode('through the platform socket');
    agent = await startTestAgent({
      onSession: (session) =>
        serveRpc(session, {
          'files.read': async ({ path }, context) => {
            await context.sendChunk(content);
            return { path, size: content.byteLength, version: 'v1', redactedEnv: false };
          },
        }),
    });
    const device = await agent.addDevice('browser');
    const link = formatLink({ url: agent.url.replace('ws:', 'http:'), agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
    const run = await execa(process.execPath, ['--experimental-websocket', '--no-warnings', '--import', 'tsx', 'test/unit/remote/whatwg-client.ts'], { env: { OPENMATES_REMOTE_LINK: link }, reject: false, timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ constructed: 1, text: 'through the platform socket', version: 'v1' });
  });
});
