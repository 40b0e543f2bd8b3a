import { openSettings } from '../../core/settings.js';
import type { CliContext } from '../context.js';
import { table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { CONFIG_KEYS, configKey } from './config-keys.js';
import type { ConfigCommandOptions } from './config.command.js';

export async function configListCommand(options: ConfigCommandOptions, context: CliContext): Promise<number> {
  const store = await openSettings();
  const settings = store.read();
  const values = Object.fromEntries(CONFIG_KEYS.map((key) => [key.name, key.show(settings)]));
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', file: store.path, settings: values });
  } else {
    context.stdout.write(`${table(CONFIG_KEYS.map((key) => [key.name, values[key.name]!, key.help]), '')}\n\nKept in ${store.path}\n`);
  }
  return 0;
}

export async function configGetCommand(options: ConfigCommandOptions, context: CliContext): Promise<number> {
  const key = configKey(options.key);
  const value = key.show((await openSettings()).read());
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
