import { DEFAULT_INSTALL_DIR } from '../core/install-dir.js';
import type { CoreDeps } from '../core/deps.js';

/** What a command gets from main: where to write, how to stop, and how to reach Docker. */
export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  signal: AbortSignal;
  cliVersion: string;
  /** Connects to the engine on first use, so commands that need no Docker never load it. */
  deps: () => Promise<CoreDeps>;
}

export function installDirOf(options: { installDir?: string }): string {
  return options.installDir ?? DEFAULT_INSTALL_DIR;
}
