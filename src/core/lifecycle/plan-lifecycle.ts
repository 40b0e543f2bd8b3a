import type { CoreDeps } from '../deps.js';
import { OpenmatesError } from '../errors.js';
import { serviceStatuses } from '../health/service-state.js';
import { requireInstalledInstance } from '../installed-instance.js';
import { longestStopSeconds } from './stop-time.js';
import type { LifecycleAction, LifecycleOptions, LifecyclePlan } from './types.js';

export function lifecycleSteps(action: LifecycleAction, clearCache: boolean, cacheVolumeCount: number): { id: string; title: string }[] {
  const stop = { id: 'stop', title: clearCache ? 'Stopping the stack and removing its containers' : 'Stopping the stack' };
  const clear = { id: 'clear-cache', title: `Deleting the cached data (${cacheVolumeCount} volume${cacheVolumeCount === 1 ? '' : 's'})` };
  const start = { id: 'start', title: 'Starting the stack' };
  const health = { id: 'health', title: 'Waiting for the services to become healthy' };
  switch (action) {
    case 'stop':
      return [stop];
    case 'start':
      return [start, health];
    case 'restart':
      return clearCache ? [stop, clear, start, health] : [stop, start, health];
  }
}

function expectedDowntime(action: LifecycleAction, running: number, healthTimeout: number, stopSeconds: number): LifecyclePlan['expectedDowntime'] {
  switch (action) {
    case 'stop':
      return running === 0
        ? { summary: 'None: nothing is running.', maxSeconds: 0 }
        : { summary: `${running} running service${running === 1 ? '' : 's'} stop and stay down until you start the stack again.` };
    case 'start':
      return { summary: running === 0 ? 'None: nothing is running yet.' : 'None: what runs is left alone; only what is stopped starts.', maxSeconds: 0 };
    case 'restart': {
      if (running === 0) return { summary: 'None: nothing is running now.', maxSeconds: 0 };
      const maxSeconds = stopSeconds + healthTimeout;
      return {
        summary: `Unavailable from the stop until healthy again: at most about ${maxSeconds} s (up to ${stopSeconds} s to stop, up to ${healthTimeout} s to become healthy).`,
        maxSeconds,
      };
    }
  }
}

/** What start, stop or restart will do to the instance in `installDir`; changes nothing. */
export async function planLifecycle(options: LifecycleOptions, deps: CoreDeps): Promise<LifecyclePlan> {
  const clearCache = options.clearCache === true;
  if (clearCache && options.action !== 'restart') {
    throw new OpenmatesError('usage', `Clearing the cache goes with restart, not ${options.action}.`, 'Use `openmates server restart --clear-cache`.');
  }
  const instance = await requireInstalledInstance(options.installDir);
  const { stack, facts } = instance;
  await deps.engine.ping();
  const containers = await deps.engine.projectContainers(stack.name);
  const services = serviceStatuses(containers, facts.services, facts.oneShotServices).map(({ service, state, engineState }) => ({ service, state, engineState }));
  const runningServices = [...new Set(containers.filter((container) => container.state === 'running' || container.state === 'restarting').map((container) => container.service))];
  const running = containers.filter((container) => container.state === 'running' || container.state === 'restarting').length;
  // A name listed under both data and cache is data: it is never deleted here.
  const cacheNames = stack.volumes.cache.filter((name) => !stack.volumes.data.includes(name));
  const cacheVolumes = options.action === 'restart' ? await deps.engine.volumeSizes(cacheNames) : [];
  const healthTimeout = options.healthTimeout ?? stack.healthTimeout;
  return {
    action: options.action,
    installDir: instance.layout.root,
    project: stack.name,
    version: instance.version,
    stack,
    compose: instance.compose,
    expectedServices: facts.services,
    oneShotServices: facts.oneShotServices,
    services,
    expectedDowntime: expectedDowntime(options.action, running, healthTimeout, longestStopSeconds(facts, runningServices)),
    clearCache,
    cacheVolumes,
    dataVolumes: stack.volumes.data,
    healthTimeout,
    steps: lifecycleSteps(options.action, clearCache, cacheVolumes.length),
  };
}
