import { stringFlag, booleanFlag, type ParsedFlags } from './command-spec.js';

export interface CommonOptions {
  installDir?: string;
  stackFile?: string;
  json: boolean;
  yes: boolean;
}

export function commonOptions(flags: ParsedFlags): CommonOptions {
  return { installDir: stringFlag(flags, 'path'), stackFile: stringFlag(flags, 'stack'), json: booleanFlag(flags, 'json'), yes: booleanFlag(flags, 'yes') };
}
