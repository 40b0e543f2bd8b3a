import type * as NodePty from '@lydell/node-pty';
import { OpenmatesError, messageOf } from '../errors.js';

export type PtyModule = typeof NodePty;
export type PtyProcess = NodePty.IPty;

let loaded: Promise<PtyModule> | undefined;

/**
 * The PTY library, loaded on first use: it is the one native add-on, an optional dependency, so
 * an install without it (or a platform it has no prebuild for) still serves everything else.
 */
export function loadPty(): Promise<PtyModule> {
  loaded ??= import('@lydell/node-pty').then(
    (module) => ((module as { default?: PtyModule }).default ?? module) as PtyModule,
    (error: unknown) => {
      loaded = undefined;
      throw new OpenmatesError(
        'operation-failed',
        `Terminals are not available: the PTY library @lydell/node-pty could not load (${messageOf(error)}).`,
        `Reinstall openmates with its optional dependencies (npm install without --omit=optional) on ${process.platform}-${process.arch}; prebuilds exist for linux, macOS and Windows on x64 and arm64.`,
      );
    },
  );
  return loaded;
}
