import { openSettings, readSettingsFile, settingsPath } from '../../core/settings.js';
import type { CliContext } from '../context.js';
import { table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { CONFIG_KEYS, configKey } from './config-keys.js';
import type { ConfigCommandOptions } from './config.command.js';

export async function configListCommand(options: ConfigCommandOptions, context: CliContext): Promise<number> {
  // Reading needs no conf (its JSON-schema validator costs start-up): the file and the schema as status reads them.
  const settings = await readSettingsFile();
  const file = settingsPath();
  const values = Object.fromEntries(CONFIG_KEYS.map((key) => [key.name, key.show(settings)]));
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', file, settings: values });
  } else {
    context.stdout.write(`${table(CONFIG_KEYS.map((key) => [key.name, values[key.name]!, key.help]), '')}\n\nKept in ${file}\n`);
  }
  return 0;
}

export async function configGetCommand(options: ConfigCommandOptions, context: CliContext): Promise<number> {
  const key = configKey(options.key);
  const value = key.show(await readSettingsFile());
  if (options.json) writeJsonLine(context.stdout, { type: 'result', key: key.name, value });
  else context.stdout.write(`${value}\n`);
  return 0;
}

export async function configSetCommand(options: ConfigCommandOptions, context: CliContext): Promise<number> {
  const key = configKey(options.key);
  const store = await openSettings();
  const value = key.show(store.update(key.patch(options.value!)));
  if (options.json) writeJsonLine(context.stdout, { type: 'result', key: key.name, value, file: store.path });
  else context.stdout.write(`${key.name} is ${value} (kept in ${store.path}).\n`);
  return 0;
}
