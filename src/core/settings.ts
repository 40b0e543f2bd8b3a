import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { OpenmatesError, messageOf } from './errors.js';
import { memoizedParse } from './parse-memo.js';
import type { Settings } from './settings-schema.js';

export type { Settings } from './settings-schema.js';

export interface SettingsStore {
  readonly path: string;
  read(): Settings;
  update(patch: Partial<Settings>): Settings;
}

/** openmates' config folder: the settings and the login session (env-paths: XDG_CONFIG_HOME, else ~/.config). */
export function settingsDir(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'openmates');
}

/** Where conf keeps the file on Linux. */
export function settingsPath(): string {
  return join(settingsDir(), 'config.json');
}

/**
 * Reads the settings without loading conf (which compiles a JSON-schema validator, ~90 ms of
 * start-up for `status`): the same file, the same schema, checked by zod only when the file's text
 * is new (src/core/parse-memo.ts). Missing file: the defaults.
 */
export async function readSettingsFile(): Promise<Settings> {
  const path = settingsPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return memoizedParse('nosettings', '', async () => (await import('./settings-schema.js')).settingsSchema.parse({}));
    throw new OpenmatesError('invalid-config', `The settings file ${path} cannot be read: ${messageOf(error)}.`, 'Check its permissions.');
  }
  return memoizedParse('settings', text, () => checkSettings(text, path));
}

async function checkSettings(text: string, path: string): Promise<Settings> {
  const { settingsSchema } = await import('./settings-schema.js');
  let parsed: ReturnType<typeof settingsSchema.safeParse>;
  try {
    parsed = settingsSchema.safeParse(JSON.parse(text));
  } catch (error) {
    throw new OpenmatesError('invalid-config', `The settings file ${path} is not valid: ${messageOf(error)}.`, 'Fix or delete it (openmates will ask its questions again).');
  }
  if (!parsed.success) {
    throw new OpenmatesError('invalid-config', `The settings file ${path} is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`, 'Fix or delete it (openmates will ask its questions again).');
  }
  return parsed.data;
}

/** Opens the settings file through conf (atomic writes); a corrupt file is an error naming it, never silently reset. */
export async function openSettings(): Promise<SettingsStore> {
  const [{ default: Conf }, { settingsSchema }] = await Promise.all([import('conf'), import('./settings-schema.js')]);
  let conf: InstanceType<typeof Conf>;
  try {
    conf = new Conf({ projectName: 'openmates', projectSuffix: '', clearInvalidConfig: false });
  } catch (error) {
    throw new OpenmatesError('invalid-config', `The settings file ${settingsPath()} is not valid: ${messageOf(error)}.`, 'Fix or delete it (openmates will ask its questions again).');
  }
  const read = (): Settings => {
    const parsed = settingsSchema.safeParse(conf.store);
    if (!parsed.success) {
      throw new OpenmatesError('invalid-config', `The settings file ${conf.path} is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`, 'Fix or delete it (openmates will ask its questions again).');
    }
    return parsed.data;
  };
  return {
    path: conf.path,
    read,
    update(patch) {
      const next = settingsSchema.parse({ ...read(), ...patch });
      conf.store = next;
      return next;
    },
  };
}
