import { readFile } from 'node:fs/promises';
import { OpenmatesError } from '../errors.js';
import type { InstallLayout } from '../install-dir.js';
import { memoizedParse } from '../parse-memo.js';
import type { LoadedStack } from './load.js';

export interface ResolvedStack extends LoadedStack {
  /** True when it is the copy an existing install keeps (so its compose file is already there). */
  fromInstall: boolean;
}

/** Which stack an operation works on: --stack, else the install's own copy, else the built-in one. */
export async function resolveStack(layout: InstallLayout, stackFile?: string): Promise<ResolvedStack> {
  if (stackFile) return { ...(await (await import('./load.js')).loadStackFile(stackFile)), fromInstall: false };
  const installed = await readInstalledStack(layout);
  if (installed) return { ...installed, fromInstall: true };
  // After an uninstall that kept the data: install the same stack again, with the kept files.
  const uninstalled = await readUninstalledStack(layout);
  if (uninstalled) return { ...uninstalled, fromInstall: true };
  return { ...(await import('./builtin.js')).loadBuiltinStack(), fromInstall: false };
}

/** The stack an install was made from, or undefined when the directory holds no install. */
export function readInstalledStack(layout: InstallLayout): Promise<LoadedStack | undefined> {
  return readStackCopy(layout.stackCopy, layout);
}

/** The stack copy an uninstall that kept the data moved aside, or undefined. */
export function readUninstalledStack(layout: InstallLayout): Promise<LoadedStack | undefined> {
  return readStackCopy(layout.uninstalledStackCopy, layout);
}

async function readStackCopy(path: string, layout: InstallLayout): Promise<LoadedStack | undefined> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('operation-failed', `Cannot read ${path}: ${(error as Error).message}.`);
  }
  // The install's own copy, read by every status: YAML and zod load only when its text changed since the last read.
  const stack = await memoizedParse('stack', source, async () => (await import('./load.js')).parseStack(source, path));
  return { stack, source, origin: path, baseDir: layout.root };
}
