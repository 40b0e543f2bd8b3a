import { OpenmatesError } from '../../core/errors.js';
import type { Settings } from '../../core/settings.js';

/** A setting as `openmates config` names and spells it. */
interface ConfigKey {
  name: string;
  help: string;
  /** The accepted values, or examples of them when `accepts` decides. */
  values: string[];
  accepts?: (value: string) => boolean;
  show(settings: Settings): string;
  patch(value: string): Partial<Settings>;
}

const onOff = (value: string): boolean => value === 'on';

const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const DURATION_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const SIZE = /^(\d+(?:\.\d+)?)(MiB|GiB|TiB|MB|GB|TB)$/;
const SIZE_BYTES = { MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4, MB: 1e6, GB: 1e9, TB: 1e12 } as const;

/** "90s", "10m", "2h", "7d" → seconds. */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value);
  return match ? Number(match[1]) * DURATION_SECONDS[match[2] as keyof typeof DURATION_SECONDS] : undefined;
}

/** "512MiB", "1GiB", "2GB" → bytes. */
export function parseSize(value: string): number | undefined {
  const match = SIZE.exec(value);
  return match ? Math.round(Number(match[1]) * SIZE_BYTES[match[2] as keyof typeof SIZE_BYTES]) : undefined;
}

function showDuration(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

function showSize(bytes: number): string {
  for (const [unit, size] of [['TiB', 1024 ** 4], ['GiB', 1024 ** 3], ['MiB', 1024 ** 2]] as const) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return `${(bytes / 1024 ** 2).toFixed(1)}MiB`;
}

const within = (parse: (value: string) => number | undefined, min: number, max: number) => (value: string) => {
  const parsed = parse(value);
  return parsed !== undefined && parsed >= min && parsed <= max;
};

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
  {
    name: 'approval-timeout',
    help: 'remote access: how long a change waits for a person before it counts as denied (10s to 7d)',
    values: ['10m', '30m', '1h'],
    accepts: within(parseDuration, 10, 7 * 86_400),
    show: (settings) => showDuration(settings.approvalTimeoutSeconds),
    patch: (value) => ({ approvalTimeoutSeconds: Math.round(parseDuration(value)!) }),
  },
  {
    name: 'undo-max-size',
    help: 'remote access: the most the undo journal keeps of what file changes replaced (a change that would overflow it is refused)',
    values: ['1GiB', '512MiB', '10GiB'],
    accepts: within(parseSize, 1024 ** 2, Number.MAX_SAFE_INTEGER),
    show: (settings) => showSize(settings.undoMaxBytes),
    patch: (value) => ({ undoMaxBytes: parseSize(value)! }),
  },
  {
    name: 'undo-max-age',
    help: 'remote access: how long the undo journal keeps a change',
    values: ['7d', '24h', '30d'],
    accepts: within(parseDuration, 864, 3650 * 86_400),
    show: (settings) => showDuration(Math.round(settings.undoMaxAgeDays * 86_400)),
    patch: (value) => ({ undoMaxAgeDays: parseDuration(value)! / 86_400 }),
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
  const accepted = value !== undefined && (key.accepts ? key.accepts(value) : key.values.includes(value));
  if (!accepted) {
    const takes = key.accepts ? `a value like ${key.values.join(', ')}` : key.values.join(' or ');
    throw new OpenmatesError('usage', `${key.name} takes ${takes}${value === undefined ? '' : `, not "${value}"`}.`, `E.g. openmates config set ${key.name} ${key.values[0]}`);
  }
  return value;
}
