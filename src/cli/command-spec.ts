import type { CliContext } from './context.js';

/** A flag of one command, as node:util parseArgs describes it, plus its help line. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in --help, e.g. "--since DURATION  only lines newer than this (10m, 2h)". */
  help: string;
  /** For --help: the value's name, e.g. "DURATION". */
  value?: string;
  /** A string flag that may be given more than once (`--root A --root B`): its value is a string[]. */
  multiple?: boolean;
}

export interface ParsedFlags {
  values: Record<string, string | string[] | boolean | undefined>;
  positionals: string[];
}

/**
 * One command of the CLI. The spec is light (help text, flags, parsing); `run` loads the
 * implementation on demand, so start-up never parses what the chosen command does not use.
 */
export interface CommandSpec<Options = unknown> {
  /** The words after `openmates`, e.g. ["server", "install"] or ["login"]. */
  path: string[];
  /** Other ways to call it, e.g. ["--server", "--install"] (flags that select it). */
  selectors?: string[][];
  summary: string;
  /**
   * Words the command takes after its path, for --help (e.g. "KEY VALUE"). Without it, any extra
   * word is a usage error; with it, they reach `parse` as positionals.
   */
  arguments?: string;
  /** Flags of this command beyond the common ones (--path, --json, ...) it declares in `common`. */
  flags: Record<string, FlagSpec>;
  /** Which common flags apply. */
  common: CommonFlag[];
  /** Turns the parsed flags into the command's options; throws OpenmatesError('usage') on bad values. */
  parse(flags: ParsedFlags): Options;
  run(options: Options, context: CliContext): Promise<number>;
}

export type CommonFlag = 'path' | 'stack' | 'json' | 'yes';

export const COMMON_FLAGS: Record<CommonFlag, FlagSpec> = {
  path: { type: 'string', value: 'DIR', help: 'the install directory (default ~/openmates)' },
  stack: { type: 'string', value: 'FILE', help: 'a stack file instead of the install\'s own copy or the built-in OpenMates stack' },
  json: { type: 'boolean', help: 'one JSON object per event on stdout, then a final result object' },
  yes: { type: 'boolean', short: 'y', help: 'answer questions with their defaults (never deletes data)' },
};

/** Reads a common string flag. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a flag declared `multiple` (empty when not given). */
export function stringsFlag(flags: ParsedFlags, name: string): string[] {
  const value = flags.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function booleanFlag(flags: ParsedFlags, name: string): boolean {
  return flags.values[name] === true;
}
