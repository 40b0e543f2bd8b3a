import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Stack } from './stack/schema.js';

export const DEFAULT_INSTALL_DIR = join(homedir(), 'openmates');

/** Where each file of an install lives. */
export interface InstallLayout {
  root: string;
  envFile: string;
  /** The copy of the stack file the instance was installed from. */
  stackCopy: string;
  logsDir: string;
  /** After an uninstall that kept the data: the stack copy, moved aside so the dir no longer counts as installed. */
  uninstalledStackCopy: string;
  /** After an uninstall that kept the data: what was kept and how to come back or delete it. */
  uninstalledNote: string;
}

export function installLayout(root: string): InstallLayout {
  const absolute = resolve(root);
  return {
    root: absolute,
    envFile: join(absolute, '.env'),
    stackCopy: join(absolute, 'openmates-stack.yml'),
    logsDir: join(absolute, 'logs'),
    uninstalledStackCopy: join(absolute, 'openmates-stack.uninstalled.yml'),
    uninstalledNote: join(absolute, 'UNINSTALLED.txt'),
  };
}

export function composeFileOf(layout: InstallLayout, stack: Stack): string {
  return join(layout.root, stack.composePath);
}
