import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLink } from '../../src/remote/link.js';
import { freePort } from './harness/index.js';
import { captureLoopback, type TcpStream } from './loopback-capture.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { webSocketDirection } from './websocket-payloads.js';

/** A distinctive multi-KB text: 400 lines, each unique, none shaped like a secret (the redactor must leave it as it is). */
function canaryText(): string {
  const lines: string[] = [];
  for (let n = 1; n <= 400; n++) lines.push(`Canary line ${String(n).padStart(4, '0')}: the heron counts ${n * 7} pebbles beside the quiet mill pond.`);
  return `${lines.join('\n')}\n`;
}

/**
 * What the relay's port carried while a device read a file through the relay, as tcpdump saw it
 * on loopback: every connection's bytes reassembled, WebSocket frames unmasked. It must hold the
 * transfer (so the search below could find something) and none of the file nor the device key.
 */
describe("tcpdump on the relay's port during a file read: the transfer is there, the plaintext and the device key are not", () => {
  let relay: RelayProcess;
  let agent: AgentProcess;
  let link: string;
  let linkFile: string;
  const content = canaryText();
  let captured: { streams: TcpStream[]; payloadBytes: number; packets: number };
  let read: { exitCode: number; stdout: string; stderr: string };

  beforeAll(async () => {
    const port = await freePort();
    // Started before the relay: every connection on the port is captured from its first byte.
    const capture = await captureLoopback(port);
    try {
      relay = await startRelayProcess({ port });
      agent = await startAgentProcess({ safetyMode: 'on', relay: relay.url, args: ['--path', '/nonexistent/openmates-install'] });
      await writeFile(join(agent.root, 'canary.txt'), content);
      linkFile = await agent.addDevice('laptop', 'operator');
      link = (await readFile(linkFile, 'utf8')).trim();
      read = await agent.cli(['remote', '--link-file', linkFile, 'files', 'cat', 'canary.txt']);
    } finally {
      captured = await capture.stop();
    }
  }, 180_000);
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
  });

  it('the read went through the relay and answered the whole file', () => {
    expect(link.startsWith(relay.url), link.split('#')[0]).toBe(true);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).toBe(content);
    expect(content.length).toBeGreaterThan(20_000);
  });

  it("the capture holds the transfer: at least the file's size on the port, the connections' upgrades in plain HTTP", () => {
    expect(captured.packets).toBeGreaterThan(10);
    expect(captured.payloadBytes).toBeGreaterThanOrEqual(content.length);
    const { agentId } = parseLink(link);
    const heads = captured.streams.map((stream) => webSocketDirection(stream.bytes).head.split('\r\n')[0]);
    expect(heads).toContain('GET /v1/agent HTTP/1.1');
    expect(heads).toContain(`GET /v1/connect/${agentId} HTTP/1.1`);
    expect(heads.filter((head) => head === 'HTTP/1.1 101 Switching Protocols').length).toBeGreaterThanOrEqual(2);
    // The relay's answer to the reading client carried at least the file, in frames.
    const toClient = captured.streams.find((stream) => stream.from.endsWith(`:${relay.port}`) && captured.streams.some((other) => other.from === stream.to && webSocketDirection(other.bytes).head.startsWith(`GET /v1/connect/${agentId}`)));
    expect(toClient).toBeDefined();
    expect(webSocketDirection(toClient!.bytes).payload.length).toBeGreaterThanOrEqual(content.length);
    // The unmasking works: the client's plain handshake frame (hello) shows in its frames, not in its masked bytes.
    const fromClient = captured.streams.find((stream) => stream.from === toClient!.to)!;
    expect(webSocketDirection(fromClient.bytes).payload.includes('"protocol":"openmates-remote"')).toBe(true);
    expect(fromClient.bytes.includes('"protocol":"openmates-remote"')).toBe(false);
  });

  it('neither the raw bytes nor the unmasked WebSocket payloads hold any line of the file or the device key (base64url or raw)', () => {
    const { deviceSeed } = parseLink(link);
    const needles: [string, Buffer][] = [
      ['the whole file', Buffer.from(content)],
      ...content
        .trimEnd()
        .split('\n')
        .map((line): [string, Buffer] => [line, Buffer.from(line)]),
      ['the device key (base64url)', Buffer.from(deviceSeed)],
      ['the device key (raw bytes)', Buffer.from(deviceSeed, 'base64url')],
    ];
    expect(Buffer.from(deviceSeed, 'base64url')).toHaveLength(32);
    let frames = 0;
    for (const stream of captured.streams) {
      const direction = webSocketDirection(stream.bytes);
      expect(direction.compressed, `${stream.from} > ${stream.to}: compressed frames could hide plaintext`).toBe(0);
      frames += direction.frames;
      for (const [name, needle] of needles) {
        expect(stream.bytes.includes(needle), `${name} in the raw bytes ${stream.from} > ${stream.to}`).toBe(false);
        expect(direction.payload.includes(needle), `${name} in the frames ${stream.from} > ${stream.to}`).toBe(false);
      }
    }
    expect(frames).toBeGreaterThan(4);
  });
});
