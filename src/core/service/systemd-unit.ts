/**
 * The systemd unit that keeps `openmates remote-access start` running on a server. It holds no
 * secret: the agent's keys and devices stay in its state dir (0600), the unit names only paths and
 * flags. Tested for its exact text (test/unit/core/systemd-unit.test.ts).
 */
export interface AgentUnitOptions {
  /** 'user': a user unit of the invoking user (~/.config/systemd/user); 'system': root's, /etc/systemd/system. */
  kind: 'user' | 'system';
  /** Absolute paths of the Node binary and of the openmates CLI it runs. */
  node: string;
  cli: string;
  /** Flags of `remote-access start`, as given: the shared folders (absolute), --full-access, --name, --relay. */
  roots: string[];
  fullAccess: boolean;
  name?: string;
  relay?: string;
  /** Where the agent runs (relative roots were resolved against the folder install-service ran in). */
  workingDirectory: string;
  /** Non-secret environment the agent must see as it did here: XDG_STATE_HOME / XDG_CONFIG_HOME when they were set. */
  environment: Record<string, string>;
}

export const AGENT_UNIT_NAME = 'openmates-remote-access.service';

export function agentUnitText(options: AgentUnitOptions): string {
  const args = [options.node, options.cli, 'remote-access', 'start'];
  if (options.fullAccess) args.push('--full-access');
  else for (const root of options.roots) args.push('--root', root);
  if (options.name !== undefined) args.push('--name', options.name);
  if (options.relay !== undefined) args.push('--relay', options.relay);
  const lines = [
    '[Unit]',
    'Description=OpenMates remote access agent (openmates remote-access start)',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${args.map(quoteArgument).join(' ')}`,
    `WorkingDirectory=${quoteArgument(options.workingDirectory)}`,
    ...Object.entries(options.environment)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => `Environment=${quoteArgument(`${name}=${value}`)}`),
    'Restart=on-failure',
    'RestartSec=5',
    // A `remote-access stop` ends the agent with 0: that is not a failure to restart from.
    'SuccessExitStatus=130',
    '',
    '[Install]',
    `WantedBy=${options.kind === 'user' ? 'default.target' : 'multi-user.target'}`,
    '',
  ];
  return lines.join('\n');
}

/**
 * One word of a unit's command line (systemd.syntax): `%` is a specifier and `$` an environment
 * reference, so both are doubled; a word with spaces, quotes or backslashes is double-quoted
 * with C-style escapes.
 */
export function quoteArgument(word: string): string {
  const escaped = word.replaceAll('%', '%%').replaceAll('$', '$$$$');
  if (escaped !== '' && !/[\s"'\\;]/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\t', '\\t')}"`;
}
