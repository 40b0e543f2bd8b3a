import { isIP } from 'node:net';
import { OpenmatesError } from '../../core/errors.js';
import type { RelayOptions } from '../../remote/relay/relay-options.js';
import { booleanFlag, stringFlag, type CommandSpec } from '../command-spec.js';
import { parseListen } from './remote-access-start.command.js';

export interface RelayCommandOptions extends RelayOptions {
  json: boolean;
}

function positiveInteger(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new OpenmatesError('usage', `${flag} takes a whole number of at least 1, not "${raw}".`);
  return Number(raw);
}

function publicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OpenmatesError('usage', `--public-url takes a URL such as https://relay.example.com/, not "${raw}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OpenmatesError('usage', `--public-url must start with https:// (or http://), not ${url.protocol}//.`);
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

function trustedProxies(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const addresses = raw.split(',').map((address) => address.trim());
  const bad = addresses.find((address) => isIP(address) === 0);
  if (bad !== undefined) throw new OpenmatesError('usage', `--trust-proxy takes the proxy's IP addresses, comma-separated (e.g. 127.0.0.1,::1), not "${bad}".`, 'Name the address Caddy (or another reverse proxy) connects from; host names and ranges are not accepted.');
  return addresses;
}

export const relayCommandSpec: CommandSpec<RelayCommandOptions> = {
  path: ['relay'],
  summary: 'run a relay: agents connect out to it, devices reach them through it; it forwards sealed frames and cannot read them',
  common: ['json'],
  flags: {
    listen: { type: 'string', value: 'HOST:PORT', help: 'where the relay listens (default 127.0.0.1:7500)' },
    'public-url': { type: 'string', value: 'URL', help: 'how devices reach it, e.g. https://relay.example.com/ behind a TLS proxy (goes into device links)' },
    'max-agents': { type: 'string', value: 'N', help: 'agents connected at once (default 1000)' },
    'max-connections-per-ip': { type: 'string', value: 'N', help: 'open connections from one address (default 256)' },
    'idle-timeout': { type: 'string', value: 'SECONDS', help: 'close a connection that sends nothing for this long (default 180)' },
    'trust-proxy': { type: 'string', value: 'ADDR[,ADDR]', help: "a reverse proxy's address: from it, X-Forwarded-For names the client for --max-connections-per-ip" },
    'tls-cert': { type: 'string', value: 'FILE', help: 'PEM certificate: serve https/wss itself (with --tls-key)' },
    'tls-key': { type: 'string', value: 'FILE', help: 'PEM private key for --tls-cert' },
  },
  parse: (flags) => {
    const cert = stringFlag(flags, 'tls-cert');
    const key = stringFlag(flags, 'tls-key');
    if ((cert === undefined) !== (key === undefined)) throw new OpenmatesError('usage', '--tls-cert and --tls-key go together.', 'Pass both PEM files, or neither (and put the relay behind a TLS proxy such as Caddy).');
    const maxAgents = positiveInteger(stringFlag(flags, 'max-agents'), '--max-agents');
    const maxConnectionsPerIp = positiveInteger(stringFlag(flags, 'max-connections-per-ip'), '--max-connections-per-ip');
    const idle = positiveInteger(stringFlag(flags, 'idle-timeout'), '--idle-timeout');
    const listen = stringFlag(flags, 'listen');
    const url = publicUrl(stringFlag(flags, 'public-url'));
    const trustProxy = trustedProxies(stringFlag(flags, 'trust-proxy'));
    return {
      listen: listen === undefined ? { host: '127.0.0.1', port: 7500 } : parseListen(listen),
      ...(url !== undefined ? { publicUrl: url } : {}),
      ...(cert !== undefined && key !== undefined ? { tls: { cert, key } } : {}),
      ...(trustProxy !== undefined ? { trustProxy } : {}),
      limits: {
        ...(maxAgents !== undefined ? { maxAgents } : {}),
        ...(maxConnectionsPerIp !== undefined ? { maxConnectionsPerIp } : {}),
        ...(idle !== undefined ? { idleTimeoutMs: idle * 1000 } : {}),
      },
      json: booleanFlag(flags, 'json'),
    };
  },
  run: async (options, context) => (await import('./relay.js')).relayCommand(options, context),
};
