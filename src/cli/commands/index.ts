import type { CommandSpec } from '../command-spec.js';
import { installCommandSpec } from './install.command.js';
import { statusCommandSpec } from './status.command.js';
import { logsCommandSpec } from './logs.command.js';

/** Every command, in the order --help lists them. Add a command: one *.command.ts file and one line here. */
export const COMMANDS: CommandSpec<never>[] = [installCommandSpec, statusCommandSpec, logsCommandSpec] as CommandSpec<never>[];
