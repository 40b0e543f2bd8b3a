import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLink, parseLink, webSocketUrl } from '../../src/remote/link.js';
import { connect } from '../../src/remote/sdk/index.js';
import { startTestRelay, type RelayedFrame, type TestRelay } from '../unit/remote/test-relay.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

/** The client's first sealed frame after its device proof: its first request. */
const firstRequest = (frame: RelayedFrame, relay: TestRelay) => frame.direction === 'to-agent' && frame.isBinary && relay.binaryCount(frame.connection, 'to-agent') === 2;

describe('remote access: a relay in the middle cannot replay or change a frame on its way to a real agent', () => {
  let agent: AgentProcess;
  let relay: TestRelay;
  let directLink: string;
  let relayedLink: string;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'off' });
    directLink = await readFile(await agent.addDevice('laptop'), 'utf8');
    const parsed = parseLink(directLink.trim());
    relay = await startTestRelay(webSocketUrl(parsed));
    relayedLink = formatLink({ ...parsed, url: relay.url.replace(/^ws:/, 'http:') });
  });
  afterAll(async () => {
    await relay?.close();
    await agent?.stop();
  });

  async function stillServes(): Promise<void> {
    const server = await connect(directLink);
    try {
      expect((await server.files.stat('.')).type).toBe('directory');
    } finally {
      server.close();
    }
  }

  it('a replayed request ends the session: the command runs at most once, and the agent stays up', async () => {
    relay.intercept = (frame) => (firstRequest(frame, relay) ? [frame, frame] : undefined);
    const server = await connect(relayedLink);
    await expect(server.exec('echo ran >> replayed.txt').result).rejects.toMatchObject({ message: expect.stringMatching(/protocol error|closed|failed to decrypt/i) });
    server.close();
    const file = join(agent.root, 'replayed.txt');
    const lines = existsSync(file) ? (await readFile(file, 'utf8')).split('\n').filter(Boolean) : [];
    expect(lines.length).toBeLessThanOrEqual(1);
    await stillServes();
  });

  it('a request with one changed byte is never run, and the agent stays up', async () => {
    relay.intercept = (frame) => {
      if (!firstRequest(frame, relay)) return undefined;
      const data = Buffer.from(frame.data);
      data[data.length - 5]! ^= 0x01;
      return [{ ...frame, data }];
    };
    const server = await connect(relayedLink);
    await expect(server.exec('echo ran > tampered.txt').result).rejects.toMatchObject({ message: expect.stringMatching(/protocol error|closed|failed to decrypt/i) });
    server.close();
    expect(existsSync(join(agent.root, 'tampered.txt'))).toBe(false);
    await stillServes();
  });
});
