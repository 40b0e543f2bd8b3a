import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { DockerEngine } from '../../docker/types.js';
import { hostTarVersion } from './directory-tar.js';

/**
 * Whether volumes can be read and written in their directories on this machine, bypassing the
 * engine's archive endpoint (several times faster). Only when nothing can differ from what a
 * container sees: the engine is this machine's (a unix socket, same host name, so not Docker
 * Desktop's VM or a forwarded socket), ids are not remapped (rootless, userns-remap), we are
 * root (volume files belong to the containers' users) and GNU tar is here. Otherwise the reason.
 */
export async function directVolumeAccess(engine: DockerEngine): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!engine.endpoint.startsWith('unix://')) return { ok: false, reason: `the engine is not on this machine (${engine.endpoint})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'openmates is not running as root' };
  const info = await engine.info();
  if (info.hostName !== hostname()) return { ok: false, reason: `the engine runs on "${info.hostName}", not on this host` };
  const remapped = info.securityOptions.find((option) => /name=(rootless|userns)/.test(option));
  if (remapped) return { ok: false, reason: `the engine remaps user ids (${remapped})` };
  if (!(await hostTarVersion())) return { ok: false, reason: 'GNU tar is not installed' };
  return { ok: true };
}

/**
 * The directory holding `volume`'s files, when it can be used directly: a plain local volume
 * (a driver with options, such as NFS or a bind, is mounted only while a container uses it).
 */
export async function volumeDirectory(engine: DockerEngine, volume: string): Promise<string | undefined> {
  const details = await engine.inspectVolume(volume);
  if (!details || details.driver !== 'local' || Object.keys(details.options).length > 0 || !details.mountpoint) return undefined;
  const isDirectory = await stat(details.mountpoint).then((found) => found.isDirectory(), () => false);
  if (!isDirectory) return undefined;
  return access(details.mountpoint, constants.R_OK | constants.W_OK | constants.X_OK).then(() => details.mountpoint, () => undefined);
}
