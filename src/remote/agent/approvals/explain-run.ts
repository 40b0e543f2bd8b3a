import type { OpArgs } from '../../protocol/ops.js';
import type { Explanation } from './explain-types.js';

/** runs.create with network access: the one kind of run that waits for an approval (a run never has host mounts). */
export function explainRun(args: OpArgs<'runs.create'>): Explanation {
  const command = args.command.join(' ');
  const where = `${args.repo}@${args.branch} in ${args.image}`;
  return {
    headline: `Run \`${command}\` from ${where}, with network access.`,
    targets: [where],
    details: {
      kind: 'command',
      command,
      cwd: `a throw-away container (${where})`,
      reasons: ['it asks for network access (--network bridge): the command can reach the internet and what this server\'s Docker network reaches'],
      category: 'isolated run',
      mayTouch: ['the network'],
      destructive: false,
    },
    undo: { possible: false, how: 'nothing on this server changes: the container has no host mounts; what it sends over the network cannot be taken back' },
    forSessionAllowed: false,
    scope: { kind: 'op', op: 'runs.create' },
  };
}
