import { OpenmatesError } from '../../core/errors.js';
import { booleanFlag, type CommandSpec, type ParsedFlags } from '../command-spec.js';
import { CONFIG_KEYS, checkValue, configKey } from './config-keys.js';

export interface ConfigCommandOptions {
  json: boolean;
  key?: string;
  value?: string;
}

const keyNames = CONFIG_KEYS.map((key) => key.name).join(', ');

function words(flags: ParsedFlags, count: number, usage: string): string[] {
  if (flags.positionals.length !== count) throw new OpenmatesError('usage', `Usage: openmates ${usage}`, `Settings: ${keyNames}.`);
  return flags.positionals;
}

export const configListCommandSpec: CommandSpec<ConfigCommandOptions> = {
  path: ['config', 'list'],
  summary: 'this machine\'s settings (safety mode, update checks, the approval timeout and the undo journal bounds) and where they are kept',
  common: ['json'],
  flags: {},
  parse: (flags) => ({ json: booleanFlag(flags, 'json') }),
  run: async (options, context) => (await import('./config.js')).configListCommand(options, context),
};

export const configGetCommandSpec: CommandSpec<ConfigCommandOptions> = {
  path: ['config', 'get'],
  arguments: 'KEY',
  summary: `one setting's value (${keyNames})`,
  common: ['json'],
  flags: {},
  parse: (flags) => {
    const [key] = words(flags, 1, 'config get KEY');
    return { json: booleanFlag(flags, 'json'), key: configKey(key).name };
  },
  run: async (options, context) => (await import('./config.js')).configGetCommand(options, context),
};

export const configSetCommandSpec: CommandSpec<ConfigCommandOptions> = {
  path: ['config', 'set'],
  arguments: 'KEY VALUE',
  summary: 'change a setting, e.g. `openmates config set safety-mode on`',
  common: ['json'],
  flags: {},
  parse: (flags) => {
    const [name, value] = words(flags, 2, 'config set KEY VALUE');
    const key = configKey(name);
    return { json: booleanFlag(flags, 'json'), key: key.name, value: checkValue(key, value) };
  },
  run: async (options, context) => (await import('./config.js')).configSetCommand(options, context),
};
