import builtinSource from '../../../stacks/openmates.yml?raw';
import { parseStack } from './load.js';
import type { LoadedStack } from './load.js';

export const BUILTIN_ORIGIN = 'the built-in OpenMates stack';

export function loadBuiltinStack(): LoadedStack {
  return { stack: parseStack(builtinSource, BUILTIN_ORIGIN), source: builtinSource, origin: BUILTIN_ORIGIN };
}
