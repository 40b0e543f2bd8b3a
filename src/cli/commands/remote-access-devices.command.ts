import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, stringFlag, type CommandSpec, type ParsedFlags } from '../command-spec.js';

export interface RemoteAccessDevicesOptions {
  json: boolean;
  name?: string;
  role: 'operator' | 'approver';
  rawSecrets?: boolean;
}

function oneName(flags: ParsedFlags, usage: string): string {
  if (flags.positionals.length !== 1) throw new OpenmatesError('usage', `Usage: openmates remote-access ${usage}`, 'Quote a name with spaces: "my phone".');
  return flags.positionals[0]!;
}

export const remoteAccessDevicesCommandSpec: CommandSpec<RemoteAccessDevicesOptions> = {
  path: ['remote-access', 'devices'],
  summary: 'the devices that may connect: name, role, added, revoked, connected now',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json'), role: 'operator' }),
  run: async (options, context) => (await import('./remote-access-devices.js')).devicesListCommand(options, context),
};

export const remoteAccessDevicesAddCommandSpec: CommandSpec<RemoteAccessDevicesOptions> = {
  path: ['remote-access', 'devices', 'add'],
  arguments: 'NAME',
  summary: 'add a device and print its link once (on a terminal also as a QR code): the link is its key',
  common: ['json'],
  flags: {
    role: { type: 'string', value: 'ROLE', help: 'operator (calls operations; the default) or approver (also approves and reads the audit log)' },
    'raw-secrets': { type: 'boolean', help: 'approvers only: show this device secrets as they are instead of <SECRET:…> tokens' },
  },
  parse: (flags) => {
    const role = stringFlag(flags, 'role') ?? 'operator';
    if (role !== 'operator' && role !== 'approver') throw new OpenmatesError('usage', `--role is operator or approver, not "${role}".`);
    const rawSecrets = booleanFlag(flags, 'raw-secrets');
    if (rawSecrets && role !== 'approver') {
      throw new OpenmatesError('usage', '--raw-secrets is for approver devices only: operators always get secrets as <SECRET:…> tokens.', 'Add it with --role approver --raw-secrets, or leave out --raw-secrets.');
    }
    return { json: booleanFlag(flags, 'json'), name: oneName(flags, 'devices add NAME [--role operator|approver] [--raw-secrets]'), role, ...(rawSecrets ? { rawSecrets } : {}) };
  },
  run: async (options, context) => (await import('./remote-access-devices.js')).devicesAddCommand(options, context),
};

export const remoteAccessDevicesRevokeCommandSpec: CommandSpec<RemoteAccessDevicesOptions> = {
  path: ['remote-access', 'devices', 'revoke'],
  arguments: 'NAME',
  summary: 'revoke a device: its sessions end at once, its link stops working',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json'), name: oneName(flags, 'devices revoke NAME'), role: 'operator' }),
  run: async (options, context) => (await import('./remote-access-devices.js')).devicesRevokeCommand(options, context),
};
