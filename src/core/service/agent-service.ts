import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { OpenmatesError, messageOf } from '../errors.js';
import { parseRelayUrl } from '../relay-url.js';
import { readSettingsFile } from '../settings.js';
import { AGENT_UNIT_NAME, agentUnitText, type AgentUnitOptions } from './systemd-unit.js';

/** Runs `systemctl ARGS...`; resolves with its exit code and stderr, rejects with ENOENT when there is none. */
export type Systemctl = (args: string[]) => Promise<{ exitCode: number; stderr: string }>;

export interface ServicePlacement {
  kind: AgentUnitOptions['kind'];
  unitPath: string;
  /** True for the folder systemd reads by default (then systemctl may act on the unit); false for --unit-dir. */
  standard: boolean;
  /** `systemctl` or `systemctl --user`. */
  systemctl: string[];
}

/**
 * As the invoking user: root gets a system unit in /etc/systemd/system, anyone else a user unit in
 * $XDG_CONFIG_HOME/systemd/user (else ~/.config/systemd/user). `unitDir` writes elsewhere (an image
 * being built); systemctl is then never run, as the unit of that name systemd knows may be another.
 */
export function servicePlacement(options: { root: boolean; unitDir?: string; env?: NodeJS.ProcessEnv }): ServicePlacement {
  const env = options.env ?? process.env;
  const kind = options.root ? 'system' : 'user';
  const standardDir = options.root ? '/etc/systemd/system' : join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user');
  const dir = options.unitDir ?? standardDir;
  return { kind, unitPath: join(dir, AGENT_UNIT_NAME), standard: options.unitDir === undefined, systemctl: options.root ? ['systemctl'] : ['systemctl', '--user'] };
}

export interface InstallServiceResult {
  unitPath: string;
  kind: ServicePlacement['kind'];
  replaced: boolean;
  /** What to run to start it now and at every boot. */
  enableCommands: string[];
  unit: string;
}

/**
 * Writes the unit. Refuses when safety mode was never answered: a service has no terminal to ask
 * on, and starting it would fail at every boot.
 */
export async function installAgentService(placement: ServicePlacement, unit: Omit<AgentUnitOptions, 'kind'>): Promise<InstallServiceResult> {
  let safetyMode: boolean | undefined;
  try {
    safetyMode = (await readSettingsFile()).safetyMode;
  } catch (error) {
    throw new OpenmatesError('invalid-config', `The settings cannot be read: ${messageOf(error)}.`, 'Fix or remove the settings file, then set safety mode with `openmates config set safety-mode on|off`.');
  }
  if (safetyMode === undefined) {
    throw new OpenmatesError(
      'needs-answer',
      'Safety mode is not set on this machine, and a service has no terminal to ask whether this is a production server.',
      'Run `openmates config set safety-mode on` (every change waits for a person\'s approval) or `... off`, then install the service again.',
    );
  }
  const relay = unit.relay !== undefined ? parseRelayUrl(unit.relay).url : undefined;
  const text = agentUnitText({ ...unit, relay, kind: placement.kind });
  const replaced = await readFile(placement.unitPath, 'utf8').then(() => true, () => false);
  try {
    await mkdir(join(placement.unitPath, '..'), { recursive: true });
    await writeFile(placement.unitPath, text, { mode: 0o644 });
  } catch (error) {
    throw new OpenmatesError('operation-failed', `Cannot write the unit ${placement.unitPath}: ${messageOf(error)}.`, placement.kind === 'system' ? 'Run it as root, or pass --unit-dir DIR.' : 'Check the permissions of that folder, or pass --unit-dir DIR.');
  }
  const systemctl = placement.systemctl.join(' ');
  const enableCommands = placement.standard ? [`${systemctl} daemon-reload`, `${systemctl} enable --now ${AGENT_UNIT_NAME}`] : [];
  return { unitPath: placement.unitPath, kind: placement.kind, replaced, enableCommands, unit: text };
}

export interface UninstallServiceResult {
  unitPath: string;
  removed: boolean;
  /** What happened with systemctl: run (disabled and stopped), not run and why. */
  systemctl: { ran: true } | { ran: false; why: string; commands: string[] };
}

/** Disables and stops the unit when systemctl is there (and the unit is in systemd's folder), then removes it. */
export async function uninstallAgentService(placement: ServicePlacement, systemctl: Systemctl): Promise<UninstallServiceResult> {
  const exists = await readFile(placement.unitPath, 'utf8').then(() => true, () => false);
  if (!exists) return { unitPath: placement.unitPath, removed: false, systemctl: { ran: false, why: 'there was no unit to disable', commands: [] } };
  const [, ...prefix] = placement.systemctl;
  const disable = [...prefix, 'disable', '--now', AGENT_UNIT_NAME];
  const byHand = [`${placement.systemctl.join(' ')} disable --now ${AGENT_UNIT_NAME}`];
  let state: UninstallServiceResult['systemctl'];
  if (!placement.standard) {
    state = { ran: false, why: 'the unit is outside systemd\'s folder (--unit-dir), so a unit of that name systemd runs may be another one', commands: byHand };
  } else {
    try {
      const result = await systemctl(disable);
      state = result.exitCode === 0 ? { ran: true } : { ran: false, why: `systemctl failed: ${result.stderr.trim().split('\n')[0] ?? `exit ${result.exitCode}`}`, commands: byHand };
    } catch (error) {
      state = { ran: false, why: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no systemctl on this machine' : `systemctl could not run: ${messageOf(error)}`, commands: byHand };
    }
  }
  await rm(placement.unitPath, { force: true });
  if (state.ran) await systemctl([...prefix, 'daemon-reload']).catch(() => undefined);
  return { unitPath: placement.unitPath, removed: true, systemctl: state };
}
