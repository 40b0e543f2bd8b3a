import { isDependencyFailure } from '../../docker/compose-output.js';
import { readFile } from 'node:fs/promises';
import type { ComposeProject } from '../../docker/types.js';
import { readComposeFacts } from '../compose-file.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { READY_STATES } from '../health/service-state.js';
import { takeSnapshot, unhealthyError, waitForHealthy, type HealthWaitInput, type HealthySnapshot } from '../health/wait-for-healthy.js';
import { composeFileOf, type InstallLayout } from '../install-dir.js';
import { readEnvFile } from '../install/env-file.js';
import type { Stack } from '../stack/schema.js';
import { removeStaleContainers } from '../stale-containers.js';

export interface BringUpInput {
  deps: CoreDeps;
  stack: Stack;
  layout: InstallLayout;
  sink: EventSink;
  signal?: AbortSignal;
  /** The version being started, for messages. */
  version: string;
}

/** One deadline shared by Compose and the health wait that follows it. */
export interface Deadline {
  at: number;
  seconds: number;
}

export function deadlineIn(seconds: number): Deadline {
  return { at: Date.now() + seconds * 1000, seconds };
}

/**
 * Starts the install as its files describe it now (`up -d` recreates what changed). Compose
 * failing because a service never got healthy is reported like a health timeout: the services
 * that are not ready with their last log lines, and Compose's own error lines.
 */
export async function startStack(input: BringUpInput, deadline: Deadline): Promise<void> {
  const healthInput = await healthWaitInput(input, deadline);
  const project: ComposeProject = { name: input.stack.name, composeFile: composeFileOf(input.layout, input.stack), envFile: input.layout.envFile };
  const compose = await input.deps.compose();
  const timer = AbortSignal.timeout(Math.max(1, deadline.at - Date.now()));
  await removeStaleContainers(input.deps.engine, input.stack.name, input.sink);
  try {
    await compose.up(project, input.signal ? AbortSignal.any([input.signal, timer]) : timer);
  } catch (error) {
    if (input.signal?.aborted) throw new OpenmatesError('interrupted', `Stopped while Compose was starting ${input.version}.`);
    // Not a service that never got ready but Compose's own failure (a rejected file, a name conflict): say that.
    if (!timer.aborted && !isDependencyFailure(isOpenmatesError(error) ? error.details : [])) throw error;
    const snapshot = await takeSnapshot(healthInput);
    if (!snapshot.services.some((service) => !READY_STATES.includes(service.state)) && !timer.aborted) throw error;
    const headline = timer.aborted ? `${input.version} did not start within ${deadline.seconds} s` : `${input.version} did not start`;
    const unhealthy = await unhealthyError(input.deps.engine, snapshot, headline);
    const composeSaid = isOpenmatesError(error) ? composeErrorLines(error.details) : [messageOf(error)];
    throw new OpenmatesError('health-timeout', unhealthy.message, unhealthy.hint, [
      ...unhealthy.details,
      ...(composeSaid.length > 0 ? ['Compose said:', ...composeSaid.map((line) => `  ${line}`)] : []),
    ]);
  }
}

/** Waits, until the deadline, for every service to be ready and every health URL to answer. */
export async function waitUntilHealthy(input: BringUpInput, deadline: Deadline): Promise<HealthySnapshot> {
  const healthInput = await healthWaitInput(input, deadline);
  const remaining = Math.max(1, Math.ceil((deadline.at - Date.now()) / 1000));
  try {
    return await waitForHealthy({ ...healthInput, timeoutSeconds: remaining });
  } catch (error) {
    // The wait names only what is left of the deadline; the user set the whole of it.
    if (isOpenmatesError(error) && error.kind === 'health-timeout') {
      throw new OpenmatesError(error.kind, error.message.replace(/within \d+ s/, `within ${deadline.seconds} s`).replace(/^The stack/, input.version), error.hint, error.details);
    }
    throw error;
  }
}

async function healthWaitInput(input: BringUpInput, deadline: Deadline): Promise<HealthWaitInput> {
  const composeFile = composeFileOf(input.layout, input.stack);
  const [source, env] = await Promise.all([readFile(composeFile, 'utf8'), readEnvFile(input.layout.envFile)]);
  const facts = readComposeFacts(source, composeFile, { ...env?.toRecord(), ...process.env });
  return {
    engine: input.deps.engine,
    project: input.stack.name,
    expectedServices: facts.services,
    oneShotServices: facts.oneShotServices,
    checks: input.stack.health,
    timeoutSeconds: deadline.seconds,
    sink: input.sink,
    ...(input.signal ? { signal: input.signal } : {}),
  };
}

/** Compose's own error lines, without its "Creating … done" progress. */
function composeErrorLines(lines: string[]): string[] {
  const errors = lines.filter((line) => /error|unhealthy|failed|denied|not found/i.test(line));
  return (errors.length > 0 ? errors : lines).slice(-5);
}
