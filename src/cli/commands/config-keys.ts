import { OpenmatesError } from '../../core/errors.js';
import type { Settings } from '../../core/settings.js';

/** A setting as `openmates config` names and spells it. */
interface ConfigKey {
  name: string;
  help: string;
  values: string[];
  show(settings: Settings): string;
  patch(value: string): Partial<Settings>;
}

const onOff = (value: string): boolean => value === 'on';

export const CONFIG_KEYS: ConfigKey[] = [
  {
    name: 'safety-mode',
    help: 'production server: restart and update ask first (deleting data always needs the typed phrase)',
    values: ['on', 'off'],
    show: (settings) => (settings.safetyMode === undefined ? 'unset' : settings.safetyMode ? 'on' : 'off'),
    patch: (value) => ({ safetyMode: onOff(value) }),
  },
  {
    name: 'update-check',
    help: 'look for new OpenMates releases',
    values: ['on', 'off'],
    show: (settings) => (settings.updateCheck ? 'on' : 'off'),
    patch: (value) => ({ updateCheck: onOff(value) }),
  },
  {
    name: 'update-channel',
    help: 'which releases count as updates',
    values: ['stable', 'prerelease'],
    show: (settings) => settings.updateChannel,
    patch: (value) => ({ updateChannel: value as Settings['updateChannel'] }),
  },
];

export function configKey(name: string | undefined): ConfigKey {
  const key = CONFIG_KEYS.find((candidate) => candidate.name === name);
  if (!key) {
    throw new OpenmatesError('usage', name === undefined ? 'Name the setting.' : `There is no setting "${name}".`, `Settings: ${CONFIG_KEYS.map((k) => k.name).join(', ')}.`);
  }
  return key;
}

export function checkValue(key: ConfigKey, value: string | undefined): string {
  if (value === undefined || !key.values.includes(value)) {
    throw new OpenmatesError('usage', `${key.name} takes ${key.values.join(' or ')}${value === undefined ? '' : `, not "${value}"`}.`, `E.g. openmates config set ${key.name} ${key.values[0]}`);
  }
  return value;
}
