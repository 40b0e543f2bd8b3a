import type { ContainerSummary } from '../../docker/types.js';
import type { ServiceHealth } from '../events.js';
import type { ServiceStatus } from '../status/types.js';

/** The states a service may be in when the stack counts as up. */
export const READY_STATES: readonly ServiceHealth[] = ['healthy', 'running', 'completed'];

/**
 * One state per service from the engine's view of its containers. A one-shot service that
 * exited 0 is "completed" (as is any that exited 0 under `restart: no` or `on-failure`); a service with a healthcheck is only ready when healthy.
 */
export function serviceStatuses(containers: ContainerSummary[], expectedServices: string[], oneShotServices: string[]): ServiceStatus[] {
  const byService = new Map<string, ContainerSummary>();
  for (const container of containers) {
    const current = byService.get(container.service);
    // With several containers (scale, or a leftover being replaced) the running one speaks.
    if (!current || (current.state !== 'running' && container.state === 'running')) byService.set(container.service, container);
  }
  const services = [...new Set([...expectedServices, ...byService.keys()])];
  return services.map((service) => {
    const container = byService.get(service);
    if (!container) return { service, container: '', state: 'missing', engineState: 'missing', restartCount: 0 };
    return {
      service,
      container: container.name,
      state: containerHealth(container, oneShotServices.includes(service)),
      engineState: container.state,
      startedAt: container.startedAt,
      restartCount: container.restartCount,
    };
  });
}

function containerHealth(container: ContainerSummary, oneShot: boolean): ServiceHealth {
  switch (container.state) {
    case 'running':
      return container.health ?? 'running';
    case 'restarting':
      return 'restarting';
    case 'exited':
      // Exited 0 with nothing to restart it (no policy, or on-failure): a job that finished.
      return container.exitCode === 0 && (oneShot || ['no', '', 'on-failure'].includes(container.restartPolicy)) ? 'completed' : 'exited';
    case 'created':
      return 'starting';
    default:
      return 'exited';
  }
}
