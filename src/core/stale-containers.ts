/**
 * Containers Compose left behind for a service that already has one: a recreate that did not
 * finish (Compose renames the old container to `<id>_<name>` before it creates the new one), or
 * a stack brought up by Compose v1 (`project_service_1`) and then by v2 (`project-service-1`).
 * Two containers of one service replica fight over its ports and names, so before Compose starts
 * the stack again, all but one are removed (their named volumes stay). Found by labels only
 * (project, service, container-number, oneoff), never by name patterns.
 */
import type { ContainerSummary, DockerEngine } from '../docker/types.js';
import type { EventSink } from './events.js';

/**
 * Which container of a replica stays: a running one, then a healthy one, then one that has run
 * at all (a recreate that stopped half-way leaves a new container that never started), then the newest.
 */
function keepOrder(a: ContainerSummary, b: ContainerSummary): number {
  const running = Number(b.state === 'running') - Number(a.state === 'running');
  if (running !== 0) return running;
  const healthy = Number(b.health === 'healthy') - Number(a.health === 'healthy');
  if (healthy !== 0) return healthy;
  const hasRun = Number(b.startedAt !== undefined) - Number(a.startedAt !== undefined);
  if (hasRun !== 0) return hasRun;
  return (b.created ?? '').localeCompare(a.created ?? '');
}

/** Every container that is a second (third, ...) one of the same service replica. */
export function staleDuplicates(containers: readonly ContainerSummary[]): ContainerSummary[] {
  const replicas = new Map<string, ContainerSummary[]>();
  for (const container of containers) {
    if (container.oneOff || container.service === '') continue;
    const key = `${container.service}#${container.containerNumber ?? 1}`;
    replicas.set(key, [...(replicas.get(key) ?? []), container]);
  }
  return [...replicas.values()].filter((group) => group.length > 1).flatMap((group) => [...group].sort(keepOrder).slice(1));
}

/** Removes the project's stale duplicates, saying which; returns their names. */
export async function removeStaleContainers(engine: DockerEngine, project: string, sink: EventSink): Promise<string[]> {
  const containers = await engine.projectContainers(project);
  const stale = staleDuplicates(containers);
  for (const container of stale) {
    await engine.removeContainer(container.id);
    const kept = containers.find((other) => other.id !== container.id && other.service === container.service && !other.oneOff && !stale.includes(other));
    sink({
      type: 'warning',
      message: `Removed ${container.name} (${container.state}), a second container of ${container.service}${kept ? ` beside ${kept.name}` : ''} left by an earlier Compose run that did not finish.`,
      hint: 'Its named volumes are kept. This happens after an interrupted update or restart, or when Compose v1 and v2 were both used on this install.',
    });
  }
  return stale.map((container) => container.name);
}
