import { messageOf } from '../core/errors.js';
import { readSettingsFile, type Settings } from '../core/settings.js';
import { readInstalledVersion } from '../core/update/installed-version.js';
import { availableTags } from './available-versions.js';
import { CheckCache } from './check-cache.js';
import { CLI_PACKAGE, cliUpgradeCommand, npmRegistry } from './cli-package.js';
import { latestNpmVersion } from './npm-latest.js';
import { isNewerTag, isNewerVersion, newestRelease, tagVersion, type UpdateChannel } from './versions.js';

/** The longest the start-up check may spend on the network. */
export const CHECK_NETWORK_BUDGET_MS = 2_000;

export interface ServerUpdateInfo {
  installed: string;
  /** The newest release of the channel; undefined when the registry lists none. */
  latest?: string;
  available: boolean;
  channel: UpdateChannel;
  /** ISO time the registry was asked. */
  checkedAt: string;
  fromCache: boolean;
}

export interface CliUpdateInfo {
  current: string;
  latest: string;
  available: boolean;
  /** e.g. "npm install -g openmates-server-cli@latest". */
  upgradeCommand: string;
}

export interface UpdateCheck {
  server?: ServerUpdateInfo;
  cli?: CliUpdateInfo;
  /** Quiet notes for what could not be checked ("Could not check for updates: … offline"). */
  notes: string[];
  /** Why nothing was checked, when the check is turned off. */
  skipped?: string;
}

export interface UpdateCheckOptions {
  installDir: string;
  cliVersion?: string;
  /** Ask the registries even when the cache is fresh. */
  fresh?: boolean;
  timeoutMs?: number;
  cache?: CheckCache;
  env?: NodeJS.ProcessEnv;
  readSettings?: () => Promise<Settings>;
  packageName?: string;
}

/**
 * The start-up check: is a newer OpenMates release (registry tags of the stack's version image,
 * on the chosen channel) or a newer CLI (npm) out? Never throws and never takes more than about
 * `timeoutMs` of network: what could not be checked becomes a quiet note. Turned off by
 * OPENMATES_NO_UPDATE_CHECK=1 or the updateCheck setting.
 */
export async function checkForUpdates(options: UpdateCheckOptions, signal?: AbortSignal): Promise<UpdateCheck> {
  const env = options.env ?? process.env;
  if (env.OPENMATES_NO_UPDATE_CHECK && env.OPENMATES_NO_UPDATE_CHECK !== '0') return { notes: [], skipped: 'OPENMATES_NO_UPDATE_CHECK is set' };
  const notes: string[] = [];
  let settings: Pick<Settings, 'updateCheck' | 'updateChannel'> = { updateCheck: true, updateChannel: 'stable' };
  try {
    settings = await (options.readSettings ?? readSettingsFile)();
  } catch (error) {
    notes.push(`Settings not read, checking the stable channel: ${messageOf(error)}`);
  }
  if (!settings.updateCheck) return { notes, skipped: 'the update check is turned off in the settings' };

  const budget = AbortSignal.timeout(options.timeoutMs ?? CHECK_NETWORK_BUDGET_MS);
  const deadline = signal ? AbortSignal.any([signal, budget]) : budget;
  const cache = options.cache ?? new CheckCache();
  const [server, cli] = await Promise.allSettled([serverCheck(options, settings.updateChannel, cache, deadline), cliCheck(options, env, cache, deadline)]);
  if (server.status === 'rejected') notes.push(`Could not check for a newer OpenMates: ${messageOf(server.reason)}`);
  if (cli.status === 'rejected') notes.push(`Could not check for a newer openmates CLI: ${messageOf(cli.reason)}`);
  return { ...(server.status === 'fulfilled' && server.value ? { server: server.value } : {}), ...(cli.status === 'fulfilled' && cli.value ? { cli: cli.value } : {}), notes };
}

async function serverCheck(options: UpdateCheckOptions, channel: UpdateChannel, cache: CheckCache, signal: AbortSignal): Promise<ServerUpdateInfo | undefined> {
  const installed = await readInstalledVersion(options.installDir);
  if (!installed) return undefined;
  const found = await availableTags({ registry: installed.registry, image: installed.stack.versionImage, fresh: options.fresh ?? false, cache }, signal);
  const latest = newestRelease(found.tags, channel);
  return {
    installed: installed.tag,
    ...(latest ? { latest } : {}),
    available: latest !== undefined && tagVersion(installed.tag) !== undefined && isNewerTag(latest, installed.tag),
    channel,
    checkedAt: new Date(found.checkedAt).toISOString(),
    fromCache: found.fromCache,
  };
}

async function cliCheck(options: UpdateCheckOptions, env: NodeJS.ProcessEnv, cache: CheckCache, signal: AbortSignal): Promise<CliUpdateInfo | undefined> {
  const current = options.cliVersion ?? CLI_PACKAGE.version;
  if (!tagVersion(current)) return undefined; // a development build has no version to compare
  const packageName = options.packageName ?? CLI_PACKAGE.name;
  const registry = npmRegistry(env);
  const key = `npm ${registry}/${packageName}`;
  let latest = options.fresh ? undefined : (await cache.get<string>(key))?.value;
  if (typeof latest !== 'string') {
    latest = await latestNpmVersion(registry, packageName, signal);
    await cache.set(key, latest);
  }
  return { current, latest, available: isNewerVersion(latest, current), upgradeCommand: cliUpgradeCommand(packageName) };
}
