import type { ContainerSummary, DockerEngine } from '../../docker/types.js';
import { OpenmatesError } from '../errors.js';
import type { EventSink } from '../events.js';
import type { StackHealthCheck } from '../stack/schema.js';
import type { HealthCheckResult, ServiceStatus } from '../status/types.js';
import { runHealthCheck } from './http-check.js';
import { READY_STATES, serviceStatuses } from './service-state.js';
import { sleep } from '../sleep.js';

/** Polls often for the first seconds (a restarted service is often ready within one), then every second. */
const EARLY_POLL_MS = 100;
const EARLY_PERIOD_MS = 3_000;
const POLL_INTERVAL_MS = 1_000;
const LOG_LINES_ON_FAILURE = 15;

export interface HealthWaitInput {
  engine: DockerEngine;
  project: string;
  expectedServices: string[];
  oneShotServices: string[];
  checks: StackHealthCheck[];
  timeoutSeconds: number;
  sink: EventSink;
  signal?: AbortSignal;
}

export interface HealthySnapshot {
  services: ServiceStatus[];
  checks: HealthCheckResult[];
}

/**
 * Waits until every service is healthy, running or completed and every health URL answers as
 * the stack expects (an answer the stack counts as degraded is up, with a warning). Fails at the deadline, or at once when a container crashed and nothing will
 * restart it, naming the services that are not ready with their last log lines.
 */
export async function waitForHealthy(input: HealthWaitInput): Promise<HealthySnapshot> {
  const deadline = Date.now() + input.timeoutSeconds * 1000;
  const reported = new Map<string, string>();
  const report = (key: string, value: string, emit: () => void) => {
    if (reported.get(key) !== value) {
      reported.set(key, value);
      emit();
    }
  };
  const started = Date.now();
  for (;;) {
    if (input.signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while waiting for the stack to become healthy.');
    const snapshot = await takeSnapshot(input);
    for (const service of snapshot.services) {
      report(`service:${service.service}`, service.state, () => input.sink({ type: 'health', service: service.service, state: service.state }));
    }
    for (const check of snapshot.checks) {
      report(`check:${check.name}`, `${check.ok}:${check.detail}`, () =>
        input.sink({ type: 'check', name: check.name, ok: check.ok, detail: check.detail, ...(check.degraded ? { level: 'warning' as const, degraded: true, reasons: check.reasons ?? [] } : {}) }),
      );
    }
    if (isHealthy(snapshot)) return snapshot;
    const crashed = crashedForGood(snapshot.containers, input.oneShotServices);
    if (crashed.length > 0) {
      throw await unhealthyError(input.engine, snapshot, `${crashed.join(', ')} stopped with an error and will not be restarted`);
    }
    if (Date.now() >= deadline) {
      throw await unhealthyError(input.engine, snapshot, `The stack did not become healthy within ${input.timeoutSeconds} s`);
    }
    const interval = Date.now() - started < EARLY_PERIOD_MS ? EARLY_POLL_MS : POLL_INTERVAL_MS;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), input.signal);
  }
}

interface Snapshot extends HealthySnapshot {
  containers: ContainerSummary[];
}

export async function takeSnapshot(input: Pick<HealthWaitInput, 'engine' | 'project' | 'expectedServices' | 'oneShotServices' | 'checks' | 'signal'>): Promise<Snapshot> {
  const [containers, checks] = await Promise.all([
    input.engine.projectContainers(input.project),
    Promise.all(input.checks.map((check) => runHealthCheck(check, input.signal))),
  ]);
  return { containers, checks, services: serviceStatuses(containers, input.expectedServices, input.oneShotServices) };
}

export function isHealthy(snapshot: HealthySnapshot): boolean {
  return snapshot.services.every((service) => READY_STATES.includes(service.state)) && snapshot.checks.every((check) => check.ok);
}

function crashedForGood(containers: ContainerSummary[], oneShotServices: string[]): string[] {
  return containers
    .filter((c) => c.state === 'exited' && c.exitCode !== 0 && (c.restartPolicy === 'no' || c.restartPolicy === '' || oneShotServices.includes(c.service)))
    .map((c) => c.service);
}

/**
 * The error for a stack that is not healthy: which services and checks are not ready, with the
 * last log lines of each such service, so the user sees the cause without another command.
 */
export async function unhealthyError(engine: DockerEngine, snapshot: Snapshot, headline: string): Promise<OpenmatesError> {
  const unready = snapshot.services.filter((service) => !READY_STATES.includes(service.state));
  const failedChecks = snapshot.checks.filter((check) => !check.ok);
  const reasons = [
    ...unready.map((service) => (service.state === 'missing' ? `${service.service} was not created` : `${service.service} is ${service.state}`)),
    ...failedChecks.map((check) => `health check "${check.name}" failed (${check.detail})`),
  ];
  const details: string[] = [];
  for (const service of unready) {
    const container = snapshot.containers.find((c) => c.name === service.container);
    details.push(`${service.service} (${service.state === 'missing' ? 'not created' : service.state}${container && container.state === 'exited' ? `, exit code ${container.exitCode}` : ''}):`);
    if (!container) {
      details.push('  no container yet: Compose creates it once the services it depends on are ready');
      continue;
    }
    const lines = await engine.containerLogTail(container.id, LOG_LINES_ON_FAILURE).catch(() => ['  (its logs could not be read)']);
    details.push(...(lines.length > 0 ? lines.map((line) => `  ${line}`) : ['  (no log output)']));
  }
  for (const check of failedChecks) details.push(`health check "${check.name}" ${check.url}: ${check.detail}`);
  return new OpenmatesError(
    'health-timeout',
    `${headline}: ${reasons.join('; ') || 'unknown reason'}.`,
    'The last log lines of each service that is not ready are below. Fix the cause and run install again; it keeps what already works.',
    details,
  );
}
