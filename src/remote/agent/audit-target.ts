import type { OpName } from '../protocol/ops.js';

const SECRET_NAME = /^[A-Za-z0-9_]*(KEY|SECRET|TOKEN|PASSWORD|PASSWD|PASS|CREDENTIALS?)[A-Za-z0-9_]*$/i;
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/g;

/** Values of this process's secret-looking variables, long enough that replacing them is safe. */
function environmentSecrets(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === 'string' && value.length >= 6)
    .map(([, value]) => value as string);
}

/**
 * A command as the audit log and the live feed show it: values assigned to secret-looking names
 * (`API_KEY=...`) and the values of this machine's secret variables become `<secret>`.
 */
export function redactCommand(command: string, env: NodeJS.ProcessEnv = process.env): string {
  let text = command.replace(ASSIGNMENT, (whole, name: string) => (SECRET_NAME.test(name) ? `${name}=<secret>` : whole));
  for (const secret of environmentSecrets(env)) text = text.split(secret).join('<secret>');
  return text;
}

/** The one-line target of a request for the audit log: a path, `src -> dst`, a command, the install; an undo names its entry and, once done, the paths it put back. */
export function auditTarget(op: OpName, args: Record<string, unknown>, installDir: string, result?: unknown): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  switch (op) {
    case 'undo.list':
      return '';
    case 'undo.apply': {
      const restored = result && typeof result === 'object' && Array.isArray((result as { restored?: unknown }).restored) ? ((result as { restored: unknown[] }).restored.map(text)) : [];
      return `entry ${text(args.id)}${args.force === true ? ' (force)' : ''}${restored.length > 0 ? `: ${restored.join(', ')}` : ''}`;
    }
    case 'host':
    case 'agent.info':
      return '';
    case 'audit.recent':
      return args.before === undefined ? '' : `before ${String(args.before)}`;
    case 'files.copy':
    case 'files.move':
      return `${text(args.src)} -> ${text(args.dst)}`;
    case 'files.search':
      return `${JSON.stringify(text(args.text))} in ${text(args.in) || '.'}`;
    case 'exec': {
      const env = args.env && typeof args.env === 'object' ? Object.keys(args.env) : [];
      const prefix = env.length > 0 ? `[env ${env.join(',')}] ` : '';
      return `${prefix}${redactCommand(text(args.command))}`;
    }
    case 'terminal.create': {
      const info = result as { id?: unknown; shell?: unknown; cwd?: unknown } | undefined;
      return info?.id ? `${text(info.id)}: ${text(info.shell)} in ${text(info.cwd)}` : `${text(args.shell) || 'shell'} in ${text(args.cwd) || '.'}`;
    }
    case 'terminal.list':
      return '';
    case 'terminal.attach':
    case 'terminal.history':
    case 'terminal.write':
    case 'terminal.resize':
    case 'terminal.close':
      return text(args.id);
    case 'terminal.signal':
      return `${text(args.id)} SIG${text(args.signal)}`;
    case 'runs.create': {
      const command = Array.isArray(args.command) ? args.command.map(text).join(' ') : '';
      const env = args.env && typeof args.env === 'object' ? Object.keys(args.env) : [];
      return `${text(args.repo)}@${text(args.branch)} in ${text(args.image)}${args.network === 'bridge' ? ' (network)' : ''}: ${env.length > 0 ? `[env ${env.join(',')}] ` : ''}${redactCommand(command)}`;
    }
    case 'runs.list':
      return '';
    case 'runs.status':
    case 'runs.logs':
    case 'runs.cancel':
      return text(args.id);
    case 'approvals.decide':
      return `${text(args.id)} ${text(args.decision)}`;
    default:
      return op.startsWith('server.') ? installDir : text(args.path);
  }
}
