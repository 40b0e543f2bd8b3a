import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { OpenmatesError, messageOf } from './errors.js';

/** This machine's choices, kept in the user's config dir (XDG_CONFIG_HOME/openmates/config.json). */
export const settingsSchema = z.object({
  /** Undefined until the user has been asked whether this is a production server. */
  safetyMode: z.boolean().optional(),
  updateCheck: z.boolean().default(true),
  updateChannel: z.enum(['stable', 'prerelease']).default('stable'),
  /** Remote access: how long a change waits for a person before it counts as denied. */
  approvalTimeoutSeconds: z.number().int().min(10).max(7 * 24 * 3600).default(600),
  /** Remote access: the undo journal's bounds (what file changes replaced). */
  undoMaxBytes: z.number().int().min(1024 * 1024).default(1024 ** 3),
  undoMaxAgeDays: z.number().min(0.01).max(3650).default(7),
});

export type Settings = z.output<typeof settingsSchema>;

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
function settingsPath(): string {
  return join(settingsDir(), 'config.json');
}

/**
 * Reads the settings without loading conf (which compiles a JSON-schema validator, ~90 ms of
 * start-up for `status`): the same file, the same schema. Missing file: the defaults.
 */
export async function readSettingsFile(): Promise<Settings> {
  const path = settingsPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return settingsSchema.parse({});
    throw new OpenmatesError('invalid-config', `The settings file ${path} cannot be read: ${messageOf(error)}.`, 'Check its permissions.');
  }
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
  const { default: Conf } = await import('conf');
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
