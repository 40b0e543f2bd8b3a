import { stat } from 'node:fs/promises';
import { DEFAULT_SOCKET_PATH } from './docker-host.js';

/**
 * The group id of the Docker socket that containers get when they bind-mount
 * /var/run/docker.sock (upstream's admin sidecar adds it with group_add): that path's group on
 * this host, else the group of the unix socket we talk to. Undefined when the engine is not on
 * this machine (tcp://, ssh://) or neither can be read.
 */
export async function dockerSocketGroupId(endpoint: string, defaultSocket = DEFAULT_SOCKET_PATH): Promise<number | undefined> {
  if (!endpoint.startsWith('unix://')) return undefined;
  for (const path of [defaultSocket, endpoint.slice('unix://'.length)]) {
    const found = await stat(path).catch(() => undefined);
    if (found) return found.gid;
  }
  return undefined;
}
