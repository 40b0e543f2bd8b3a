import { parseArgs } from 'node:util';
import { OpenmatesError } from '../core/errors.js';
import { COMMON_FLAGS, stringFlag, type CommandSpec, type FlagSpec } from './command-spec.js';
import { COMMANDS } from './commands/index.js';
import { parseTag } from './commands/install.command.js';

export type ParsedCommand =
  | { name: 'app'; installDir?: string; stackFile?: string; tag?: string }
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'run'; spec: CommandSpec<never>; options: unknown; json: boolean };

/** Flags that pick a command instead of its words: `openmates --server --install` = `server install`. */
const SELECTOR_FLAGS: Record<string, FlagSpec> = {
  server: { type: 'boolean', short: 's', help: 'with --install or --status: the server command of that name' },
  install: { type: 'boolean', short: 'i', help: '' },
  status: { type: 'boolean', help: '' },
};
const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', short: 'h', help: 'this text' },
  version: { type: 'boolean', short: 'v', help: 'the CLI\'s version' },
};

/** Every flag any command knows; a name means the same type everywhere (test/unit/cli checks). */
export function allFlags(commands: CommandSpec<never>[] = COMMANDS): Record<string, FlagSpec> {
  const flags: Record<string, FlagSpec> = { ...GLOBAL_FLAGS, ...SELECTOR_FLAGS, ...COMMON_FLAGS };
  for (const command of commands) Object.assign(flags, command.flags);
  return flags;
}

/** Turns argv (without node and the script) into what to do, or throws a usage error. */
export function parseCommand(argv: string[], commands: CommandSpec<never>[] = COMMANDS): ParsedCommand {
  const known = allFlags(commands);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(known).map(([name, flag]) => [name, { type: flag.type, ...(flag.short ? { short: flag.short } : {}), ...(flag.multiple ? { multiple: true } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usage((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const positionals = parsed.positionals;
  if (values.version) return { name: 'version' };
  if (values.help || positionals[0] === 'help') return { name: 'help' };

  const selected = selectedBySelectors(values, commands);
  const byWords = commands
    .filter((command) => command.path.every((word, index) => positionals[index] === word))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (selected && positionals.length > 0) throw usage(`Use either "openmates ${selected.path.join(' ')}" or its --${selected.path.at(-1)} flag form, not both.`);
  const command = selected ?? byWords;

  if (!command) {
    if (positionals.length > 0) throw unknownCommand(positionals, commands);
    const stray = Object.keys(values).find((name) => values[name] !== undefined && name !== 'path' && name !== 'stack' && name !== 'tag');
    if (stray) throw usage(stray in SELECTOR_FLAGS ? `--${stray} needs a partner, e.g. \`openmates --server --install\`.` : `--${stray} does not apply to the full-screen app.`);
    const tag = stringFlag({ values, positionals }, 'tag');
    return { name: 'app', installDir: stringFlag({ values, positionals }, 'path'), stackFile: stringFlag({ values, positionals }, 'stack'), ...(tag !== undefined ? { tag: parseTag(tag, '--tag')! } : {}) };
  }

  const extra = positionals.slice(selected ? 0 : command.path.length);
  if (extra.length > 0 && command.arguments === undefined) throw usage(`Unexpected argument "${extra[0]}" for "openmates ${command.path.join(' ')}".`);
  const allowed = new Set([...command.common, ...Object.keys(command.flags), ...(selected ? Object.keys(SELECTOR_FLAGS) : [])]);
  const notApplicable = Object.keys(values).find((name) => values[name] !== undefined && !allowed.has(name));
  if (notApplicable) throw usage(`--${notApplicable} does not apply to "openmates ${command.path.join(' ')}".`);
  return { name: 'run', spec: command, options: command.parse({ values, positionals: extra }), json: values.json === true };
}

function selectedBySelectors(values: Record<string, unknown>, commands: CommandSpec<never>[]): CommandSpec<never> | undefined {
  const chosen = Object.keys(SELECTOR_FLAGS).filter((name) => name !== 'server' && values[name]);
  if (!values.server) {
    if (chosen.length > 0) throw usage(`--${chosen[0]} goes with --server (e.g. \`openmates --server --${chosen[0]}\`).`);
    return undefined;
  }
  if (chosen.length === 0) throw usage('--server needs an operation, e.g. --install or --status.');
  if (chosen.length > 1) throw usage(`Choose one of ${chosen.map((name) => `--${name}`).join(' and ')}.`);
  return commands.find((command) => command.selectors?.some((selector) => selector.join(' ') === `server ${chosen[0]}`));
}

function unknownCommand(positionals: string[], commands: CommandSpec<never>[]): OpenmatesError {
  const group = commands.filter((command) => command.path.length > 1 && command.path[0] === positionals[0]);
  if (group.length > 0) {
    const names = group.map((command) => command.path[1]).join(', ');
    return positionals.length === 1
      ? usage(`"openmates ${positionals[0]}" needs a command: ${names}.`)
      : usage(`Unknown ${positionals[0]} command "${positionals[1]}". Available: ${names}.`);
  }
  return usage(`Unknown command "${positionals[0]}".`);
}

function usage(message: string): OpenmatesError {
  return new OpenmatesError('usage', message, 'See `openmates --help`.');
}
