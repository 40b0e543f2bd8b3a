import type { CoreDeps } from '../deps.js';
import { messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { waitForHealthy } from '../health/wait-for-healthy.js';
import type { InstalledStack } from './installed-stack.js';

/**
 * Starts the services a backup stopped, whatever happened meanwhile (so not under the caller's
 * signal, which may have aborted: a Ctrl-C must not leave the database down), then waits for
 * the stack to be healthy unless the user interrupted. Returns what went wrong, or undefined.
 */
export async function restartServices(install: InstalledStack, services: string[], deps: CoreDeps, sink: EventSink, signal?: AbortSignal): Promise<string | undefined> {
  const { stack } = install;
  sink({ type: 'step-started', step: 'restart', title: `Starting ${services.join(', ')} again` });
  try {
    const compose = await deps.compose();
    await compose.start(install.project, services, AbortSignal.timeout(stack.healthTimeout * 1000));
  } catch (error) {
    sink({ type: 'step-failed', step: 'restart', message: messageOf(error) });
    return messageOf(error).replace(/\.$/, '');
  }
  if (signal?.aborted || !install.facts) {
    sink({ type: 'step-finished', step: 'restart', outcome: 'done', detail: `Started ${services.join(', ')} again` });
    return undefined;
  }
  try {
    await waitForHealthy({
      engine: deps.engine,
      project: stack.name,
      expectedServices: install.facts.services,
      oneShotServices: install.facts.oneShotServices,
      checks: stack.health,
      timeoutSeconds: stack.healthTimeout,
      sink,
      signal,
    });
    sink({ type: 'step-finished', step: 'restart', outcome: 'done', detail: `Started ${services.join(', ')} again; the stack is healthy` });
  } catch (error) {
    sink({ type: 'step-finished', step: 'restart', outcome: 'warning', detail: `Started ${services.join(', ')} again, but the stack is not healthy: ${messageOf(error)}` });
  }
  return undefined;
}
