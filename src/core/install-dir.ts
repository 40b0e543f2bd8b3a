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
}

export function installLayout(root: string): InstallLayout {
  const absolute = resolve(root);
  return {
    root: absolute,
    envFile: join(absolute, '.env'),
    stackCopy: join(absolute, 'openmates-stack.yml'),
    logsDir: join(absolute, 'logs'),
  };
}

export function composeFileOf(layout: InstallLayout, stack: Stack): string {
  return join(layout.root, stack.composePath);
}
