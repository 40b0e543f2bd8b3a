import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parseCommand } from '../../../../src/cli/args.js';
import { startRelay } from '../../../../src/remote/relay/start-relay.js';

const options = (argv: string[]) => {
  const command = parseCommand(argv);
  if (command.name !== 'run') throw new Error(`not a command: ${command.name}`);
  return command.options as Record<string, unknown>;
};

describe('openmates relay and --relay command lines', () => {
  it('relay: defaults, flags, and clear errors', () => {
    expect(options(['relay'])).toMatchObject({ listen: { host: '127.0.0.1', port: 7500 }, limits: {} });
    expect(options(['relay', '--listen', '0.0.0.0:8443', '--public-url', 'https://relay.example.com', '--max-agents', '20', '--max-connections-per-ip', '5', '--idle-timeout', '60'])).toMatchObject({
      listen: { host: '0.0.0.0', port: 8443 },
      publicUrl: 'https://relay.example.com/',
      limits: { maxAgents: 20, maxConnectionsPerIp: 5, idleTimeoutMs: 60_000 },
    });
    expect(() => parseCommand(['relay', '--tls-cert', 'cert.pem'])).toThrow(/--tls-cert and --tls-key go together/);
    expect(() => parseCommand(['relay', '--max-agents', 'many'])).toThrow(/--max-agents takes a whole number/);
    expect(() => parseCommand(['relay', '--public-url', 'ftp://x'])).toThrow(/--public-url must start with https/);
  });

  it('remote-access start --relay: a relay URL with a trailing slash, ws(s) as http(s)', () => {
    expect(options(['remote-access', 'start', '--relay', 'https://relay.example.com/base'])).toMatchObject({ relay: { url: 'https://relay.example.com/base/' } });
    expect(options(['remote-access', 'start', '--relay', 'ws://127.0.0.1:7500'])).toMatchObject({ relay: { url: 'http://127.0.0.1:7500/' } });
    expect(() => parseCommand(['remote-access', 'start', '--relay', 'relay.example.com'])).toThrow(/--relay takes the relay's URL/);
    expect(() => parseCommand(['remote-access', 'start', '--relay', 'https://r/#x'])).toThrow(/without a user, password, \? or #/);
    expect(() => parseCommand(['remote-access', 'start', '--relay', 'https://ana:pw@r/'])).toThrow(/without a user, password/);
  });

  it('--tls-cert/--tls-key: the relay serves https and wss itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omt-relay-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const relay = await startRelay({ listen: { host: '127.0.0.1', port: 0 }, tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } }, () => {});
    try {
      expect(relay.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      const body = await new Promise<string>((resolve, reject) => {
        request(`${relay.url}healthz`, { rejectUnauthorized: false }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        }).on('error', reject).end();
      });
      expect(JSON.parse(body)).toMatchObject({ ok: true, agents: 0 });
      const socket = new WebSocket(`${relay.url.replace('https', 'wss')}v1/agent`, { rejectUnauthorized: false });
      const first = await new Promise<string>((resolve) => socket.once('message', (data: Buffer) => resolve(data.toString())));
      expect(JSON.parse(first)).toMatchObject({ type: 'challenge' });
      socket.terminate();
    } finally {
      await relay.stop();
    }
    await expect(startRelay({ listen: { host: '127.0.0.1', port: 0 }, tls: { cert: join(dir, 'missing.pem'), key: join(dir, 'key.pem') } }, () => {})).rejects.toThrow(/Cannot read --tls-cert/);
  });
});
