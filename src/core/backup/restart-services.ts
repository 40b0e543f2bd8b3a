import type { CoreDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import type { EventSink, StepId } from '../events.js';
import { waitForHealthy } from '../health/wait-for-healthy.js';
import type { InstalledStack } from './installed-stack.js';

/**
 * Starts services a backup stopped, whatever happened meanwhile: not under the caller's signal,
 * which may have aborted, since a Ctrl-C must not leave the database down. Says so when one is
 * not running afterwards. Returns what went wrong, or undefined.
 */
export async function startServices(install: InstalledStack, services: string[], deps: CoreDeps, sink: EventSink, step: StepId): Promise<string | undefined> {
  sink({ type: 'step-started', step, title: `Starting ${services.join(', ')} again` });
  try {
    const compose = await deps.compose();
    await compose.start(install.project, services, AbortSignal.timeout(install.stack.healthTimeout * 1000));
  } catch (error) {
    sink({ type: 'step-failed', step, message: messageOf(error) });
    return messageOf(error).replace(/\.$/, '');
  }
  const containers = await deps.engine.projectContainers(install.stack.name).catch(() => undefined);
  const notRunning = containers?.filter((container) => services.includes(container.service) && container.state !== 'running') ?? [];
  if (notRunning.length > 0) {
    const states = notRunning.map((container) => `${container.service} is ${container.state}`).join(', ');
    sink({ type: 'step-finished', step, outcome: 'warning', detail: `Started ${services.join(', ')} again, but ${states}: see \`openmates server logs\`` });
  } else {
    sink({ type: 'step-finished', step, outcome: 'done', detail: `Started ${services.join(', ')} again` });
  }
  return undefined;
}

/**
 * Waits until the stack is healthy again once every stopped service is started, so the command
 * returns with the stack as it found it; one that is not is a warning, the backup stands.
 */
export async function waitUntilHealthyAgain(install: InstalledStack, services: string[], deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<void> {
  const { stack, facts } = install;
  if (signal?.aborted || !facts) return;
  sink({ type: 'step-started', step: 'healthy', title: 'Waiting for the stack to be healthy again' });
  try {
    await waitForHealthy({
      engine: deps.engine,
      project: stack.name,
      expectedServices: facts.services,
      oneShotServices: facts.oneShotServices,
      checks: stack.health,
      timeoutSeconds: stack.healthTimeout,
      sink,
      signal,
    });
    sink({ type: 'step-finished', step: 'healthy', outcome: 'done', detail: `The stack is healthy with ${services.join(', ')} running again` });
  } catch (error) {
    sink({ type: 'step-finished', step: 'healthy', outcome: 'warning', detail: `${services.join(', ')} started again, but the stack is not healthy: ${messageOf(error)}` });
  }
}
