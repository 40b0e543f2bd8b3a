import type { FileOps } from '../../../core/files/index.js';
import type { CommandClassifier } from '../policy.js';
import type { Explanation } from './explain-types.js';

/** What a command of each category may touch, in words. */
function mayTouch(category: string, cwd: string): string[] {
  switch (category) {
    case 'files':
      return [`files under ${cwd} and anywhere else this user may write`];
    case 'git':
      return [`the git repository in ${cwd}`, 'remote repositories (a push)'];
    case 'docker':
      return ['containers, images and volumes of the Docker engine'];
    case 'processes':
      return ['running processes of this user'];
    case 'network':
      return ['the network: it may send or fetch data'];
    case 'system':
      return ['the system: packages, services, users or settings'];
    default:
      return [`anything this user (the agent's) may change, starting in ${cwd}`];
  }
}

/** A command: the line, where it runs, why it counts as a change and what it may touch. */
export async function explainCommand(services: { files: FileOps; roots: string[]; classifyCommand: CommandClassifier }, args: { command: string; cwd?: string; env?: Record<string, string>; session?: string }): Promise<Explanation> {
  const cwd = args.cwd === undefined ? services.roots[0]! : await services.files.resolve(args.cwd);
  const risk = services.classifyCommand(args.command);
  const destructive = risk.risk === 'destructive';
  const shown = args.command.length > 200 ? `${args.command.slice(0, 200)}…` : args.command;
  // Variables by name only (their values may be secrets); a session keeps its own folder after a `cd`.
  const env = Object.keys(args.env ?? {});
  const extra = [env.length > 0 ? `with ${env.join(', ')} set` : '', args.session !== undefined ? `in the session "${args.session}" (which may have changed folder since)` : ''].filter(Boolean).join(', ');
  return {
    headline: `Run${destructive ? ' a destructive command' : ''} \`${shown}\` in ${cwd}${extra ? ` ${extra}` : ''}.`,
    targets: [cwd],
    details: { kind: 'command', command: args.command, cwd, reasons: risk.reasons, category: risk.category, mayTouch: mayTouch(risk.category, cwd), destructive },
    undo: { possible: false, how: 'no: what a command changes is not recorded; it can only be put back by hand' },
    forSessionAllowed: !destructive,
    scope: { kind: 'command', op: 'exec', command: args.command, cwd },
  };
}
