import type { Explanation } from './explain-types.js';

export const TERMINAL_WARNING = 'A shell runs whatever is typed into it; commands are not checked one by one.';

/** terminal.create: one approval for the whole session, which says plainly that nothing typed into it is checked. */
export function explainTerminal(args: { shell: string; cwd: string }): Explanation {
  return {
    headline: `Open a terminal: ${args.shell} in ${args.cwd}.`,
    targets: [args.cwd],
    details: { kind: 'terminal', shell: args.shell, cwd: args.cwd, warning: TERMINAL_WARNING },
    undo: { possible: false, how: 'what is typed into a shell cannot be undone; file changes made in it are not in the undo journal' },
    // Each shell is asked for on its own: a session grant would open any number of them unseen.
    forSessionAllowed: false,
    scope: { kind: 'op', op: 'terminal.create' },
  };
}
