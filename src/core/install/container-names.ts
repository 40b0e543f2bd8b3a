import type { DockerEngine } from '../../docker/types.js';
import type { PreflightCheck } from './types.js';

/**
 * A compose file's fixed `container_name`s (upstream has api, cache, webapp, ...) are one per
 * engine: a container of another project (or none) holding one makes `up` fail halfway. Checked
 * like ports, before anything changes; the stack's own containers holding them are fine.
 */
export async function checkContainerNames(engine: DockerEngine, project: string, names: readonly { service: string; name: string }[]): Promise<PreflightCheck[]> {
  if (names.length === 0) return [];
  const holders = await engine.containersNamed(names.map((entry) => entry.name));
  const taken = holders.filter((holder) => holder.project !== project);
  if (taken.length === 0) {
    const ours = holders.length;
    return [{ name: 'Container names', level: 'ok', detail: ours > 0 ? `${names.length - ours} free, ${ours} held by this install` : `${names.length} free` }];
  }
  return taken.map((holder) => {
    const service = names.find((entry) => entry.name === holder.name)?.service;
    const owner = holder.project
      ? `a container of the Compose project ${holder.project} (${holder.service ? `service ${holder.service}, ` : ''}${holder.state})`
      : `a container that is not from a Compose project (${holder.state})`;
    const removeIt = `remove or rename the container (docker rm -f ${holder.name}, or docker rename ${holder.name} ${holder.name}-old), then run install again.`;
    return {
      name: `Container name ${holder.name}`,
      level: 'error',
      detail: `held by ${owner}; the stack's ${service ?? holder.name} service needs that name`,
      hint: holder.project ? `Stop that project (docker compose -p ${holder.project} down), or ${removeIt}` : `${removeIt.charAt(0).toUpperCase()}${removeIt.slice(1)}`,
    };
  });
}
