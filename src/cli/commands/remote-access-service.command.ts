import { isAbsolute, resolve } from 'node:path';
import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, stringsFlag, type CommandSpec } from '../command-spec.js';

export interface RemoteAccessServiceOptions {
  json: boolean;
  roots: string[];
  fullAccess: boolean;
  name?: string;
  relay?: string;
  unitDir?: string;
}

const UNIT_DIR = { type: 'string', value: 'DIR', help: 'write the unit here instead of systemd\'s folder (e.g. into an image being built); systemctl is then never run' } as const;

export const remoteAccessInstallServiceCommandSpec: CommandSpec<RemoteAccessServiceOptions> = {
  path: ['remote-access', 'install-service'],
  summary: 'write a systemd unit that runs the agent at boot, as you (a user unit; root: a system unit), restarting it on failure',
  common: ['json'],
  flags: {
    root: { type: 'string', value: 'DIR', multiple: true, help: 'a folder to share (repeat for more; default: the current folder)' },
    'full-access': { type: 'boolean', help: 'share the whole machine instead of folders' },
    name: { type: 'string', value: 'NAME', help: 'how devices see this server (default: the host name, when the agent starts)' },
    relay: { type: 'string', value: 'URL', help: 'the relay the agent connects out to (openmates remote-access start --relay URL)' },
    'unit-dir': UNIT_DIR,
  },
  parse: (flags) => {
    const fullAccess = booleanFlag(flags, 'full-access');
    const given = stringsFlag(flags, 'root');
    if (fullAccess && given.length > 0) throw new OpenmatesError('usage', '--full-access shares the whole machine; leave out --root, or drop --full-access.');
    const name = stringFlag(flags, 'name');
    const relay = stringFlag(flags, 'relay');
    const unitDir = stringFlag(flags, 'unit-dir');
    return {
      json: booleanFlag(flags, 'json'),
      roots: fullAccess ? ['/'] : (given.length > 0 ? given : ['.']).map((root) => (isAbsolute(root) ? root : resolve(root))),
      fullAccess,
      ...(name !== undefined ? { name } : {}),
      ...(relay !== undefined ? { relay } : {}),
      ...(unitDir !== undefined ? { unitDir: resolve(unitDir) } : {}),
    };
  },
  run: async (options, context) => (await import('./remote-access-service.js')).installServiceCommand(options, context),
};

export const remoteAccessUninstallServiceCommandSpec: CommandSpec<RemoteAccessServiceOptions> = {
  path: ['remote-access', 'uninstall-service'],
  summary: 'stop and disable the agent\'s systemd unit (when systemctl is there) and remove it',
  common: ['json'],
  flags: { 'unit-dir': UNIT_DIR },
  parse: (flags) => {
    const unitDir = stringFlag(flags, 'unit-dir');
    return { json: booleanFlag(flags, 'json'), roots: [], fullAccess: false, ...(unitDir !== undefined ? { unitDir: resolve(unitDir) } : {}) };
  },
  run: async (options, context) => (await import('./remote-access-service.js')).uninstallServiceCommand(options, context),
};
