import { isAbsolute, resolve } from 'node:path';
import { hostname } from 'node:os';
import { OpenmatesError } from '../../core/errors.js';
import { parseRelayUrl } from '../../core/relay-url.js';
import { booleanFlag, stringFlag, stringsFlag, type CommandSpec } from '../command-spec.js';

export interface RemoteAccessStartOptions {
  roots: string[];
  fullAccess: boolean;
  devServer: boolean;
  name: string;
  listen: { host: string; port: number };
  installDir?: string;
  /** The unattended start's device key file (src/remote/agent/device-key-file.ts): read once, before anything starts. */
  deviceKeyFile?: string;
  /** `--relay URL`: AgentOptions.relay. */
  relay?: { url: string };
  json: boolean;
}

export function parseListen(raw: string | undefined): { host: string; port: number } {
  if (raw === undefined) return { host: '127.0.0.1', port: 7420 };
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(raw);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw new OpenmatesError('usage', `--listen takes HOST:PORT (e.g. 127.0.0.1:7420), not "${raw}".`);
  return { host: match[1] ?? match[2]!, port };
}

export const remoteAccessStartCommandSpec: CommandSpec<RemoteAccessStartOptions> = {
  path: ['remote-access', 'start'],
  summary: 'share this folder (or --root ones) with your devices: runs the agent in the foreground',
  common: ['path', 'json'],
  flags: {
    root: { type: 'string', value: 'DIR', multiple: true, help: 'a folder to share (repeat for more; default: the current folder)' },
    'full-access': { type: 'boolean', help: 'share the whole machine instead of folders' },
    'dev-server': { type: 'boolean', help: 'run this session without safety mode: changes run without approval' },
    name: { type: 'string', value: 'NAME', help: 'how devices see this server (default: the host name)' },
    listen: { type: 'string', value: 'HOST:PORT', help: 'where the agent listens (default 127.0.0.1:7420)' },
    'device-key-file': { type: 'string', value: 'FILE', help: 'unattended start: add (or reuse) the device whose key this JSON file holds; read once, may be deleted after the ready line' },
    relay: { type: 'string', value: 'URL', help: 'also connect out to this relay (`openmates relay`), so devices reach this server from anywhere; links then carry the relay' },
  },
  parse: (flags) => {
    const fullAccess = booleanFlag(flags, 'full-access');
    const given = stringsFlag(flags, 'root');
    if (fullAccess && given.length > 0) throw new OpenmatesError('usage', '--full-access shares the whole machine; leave out --root, or drop --full-access.');
    const roots = fullAccess ? ['/'] : (given.length > 0 ? given : ['.']).map((root) => (isAbsolute(root) ? root : resolve(root)));
    return {
      roots,
      fullAccess,
      devServer: booleanFlag(flags, 'dev-server'),
      name: stringFlag(flags, 'name') ?? hostname(),
      listen: parseListen(stringFlag(flags, 'listen')),
      ...(stringFlag(flags, 'path') !== undefined ? { installDir: stringFlag(flags, 'path') } : {}),
      ...(stringFlag(flags, 'device-key-file') !== undefined ? { deviceKeyFile: stringFlag(flags, 'device-key-file') } : {}),
      ...(stringFlag(flags, 'relay') !== undefined ? { relay: parseRelayUrl(stringFlag(flags, 'relay')!) } : {}),
      json: booleanFlag(flags, 'json'),
    };
  },
  run: async (options, context) => (await import('./remote-access-start.js')).remoteAccessStartCommand(options, context),
};
