import { realpathSync } from 'node:fs';
import { execa } from 'execa';
import { installAgentService, servicePlacement, uninstallAgentService, type Systemctl } from '../../core/service/agent-service.js';
import type { CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { RemoteAccessServiceOptions } from './remote-access-service.command.js';

const placementOf = (options: RemoteAccessServiceOptions) => servicePlacement({ root: process.getuid?.() === 0, ...(options.unitDir !== undefined ? { unitDir: options.unitDir } : {}) });

/** The state and config dirs the agent must find as it does here (paths only, never a secret). */
function agentEnvironment(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of ['XDG_STATE_HOME', 'XDG_CONFIG_HOME'] as const) {
    const value = process.env[name];
    if (value) environment[name] = value;
  }
  return environment;
}

export async function installServiceCommand(options: RemoteAccessServiceOptions, context: CliContext): Promise<number> {
  const placement = placementOf(options);
  const result = await installAgentService(placement, {
    node: process.execPath,
    cli: realpathSync(process.argv[1]!),
    roots: options.roots,
    fullAccess: options.fullAccess,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.relay !== undefined ? { relay: options.relay } : {}),
    workingDirectory: options.fullAccess ? '/' : options.roots[0]!,
    environment: agentEnvironment(),
  });
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', unitPath: result.unitPath, kind: result.kind, replaced: result.replaced, enableCommands: result.enableCommands });
    return 0;
  }
  const lines = [`${color.green('✓')} ${result.replaced ? 'Replaced' : 'Wrote'} the ${result.kind} unit ${result.unitPath} (it holds no secret).`];
  if (result.enableCommands.length > 0) {
    lines.push('Start it now and at every boot with:', '', ...result.enableCommands.map((command) => `  ${command}`), '');
    if (result.kind === 'user') lines.push('A user unit runs while you are logged in; to keep it running after you log out and at boot: loginctl enable-linger $USER');
  } else {
    lines.push('It is outside systemd\'s folder (--unit-dir): copy it where systemd reads units before enabling it.');
  }
  if (options.fullAccess) lines.push(color.red(color.bold('FULL ACCESS: the service shares the WHOLE MACHINE.')));
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

const systemctl: Systemctl = async (args) => {
  const result = await execa('systemctl', args, { reject: false, timeout: 30_000 });
  // No exit code: it never ran (ENOENT) or was killed at the timeout.
  if (result.exitCode === undefined) throw Object.assign(new Error(result.shortMessage ?? 'systemctl did not run'), { code: (result as { code?: string }).code });
  return { exitCode: result.exitCode, stderr: String(result.stderr) };
};

export async function uninstallServiceCommand(options: RemoteAccessServiceOptions, context: CliContext): Promise<number> {
  const result = await uninstallAgentService(placementOf(options), systemctl);
  if (options.json) {
    writeJsonLine(context.stdout, { type: 'result', ...result });
    return 0;
  }
  if (!result.removed) {
    context.stdout.write(`No unit to remove: ${result.unitPath} does not exist.\n`);
    return 0;
  }
  const lines = [`${color.green('✓')} Removed ${result.unitPath}.`];
  if (result.systemctl.ran) lines.push('The agent\'s service was stopped and disabled.');
  else if (result.systemctl.commands.length > 0) lines.push(`systemctl was not run (${result.systemctl.why}); if the service runs, stop and disable it with:`, ...result.systemctl.commands.map((command) => `  ${command}`));
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
