import { isDependencyFailure } from '../../docker/compose-output.js';
import type { ComposeProject, ContainerSummary } from '../../docker/types.js';
import { readComposeFacts } from '../compose-file.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { EventSink } from '../events.js';
import { stepRunner } from '../step-runner.js';
import { takeSnapshot, unhealthyError, waitForHealthy } from '../health/wait-for-healthy.js';
import { READY_STATES } from '../health/service-state.js';
import { degradedChecks, healthStepOutcome } from '../health/degraded.js';
import { installLayout } from '../install-dir.js';
import { readEnvFile } from './env-file.js';
import { writeInstallFiles } from './install-files.js';
import { openOperationLog } from './install-log.js';
import { pullImages } from './pull-images.js';
import type { InstallPlan, InstallResult } from './types.js';
import { removeStaleContainers } from '../stale-containers.js';

/**
 * Carries out a plan: files, networks, images (all pulled before anything starts), Compose up,
 * then a bounded wait for health. Safe to run again: what is in place is left as it is.
 */
export async function runInstall(plan: InstallPlan, deps: CoreDeps, outerSink: EventSink, signal?: AbortSignal): Promise<InstallResult> {
  const layout = installLayout(plan.installDir);
  const { stack } = plan;
  const log = openOperationLog(layout, 'install');
  const sink: EventSink = (event) => {
    log.sink(event);
    outerSink(event);
  };
  const step = stepRunner(plan.steps, sink, signal, 'Run install again to finish; what was done is kept.');

  log.line(`install ${stack.name} ${plan.version} into ${layout.root}`);
  try {
    const engine = deps.engine;
    const before = await engine.projectContainers(stack.name);

    const changedFiles = await step('files', async () => {
      const changed = await writeInstallFiles(plan, layout, sink);
      return { value: changed, detail: changed.length > 0 ? `Wrote ${changed.join(', ')}` : 'Install directory already in place', outcome: changed.length > 0 ? 'done' : 'skipped' };
    });

    const createdNetworks = await step('networks', async () => {
      const created: string[] = [];
      for (const network of stack.networks) {
        if (await engine.networkExists(network)) continue;
        await engine.createNetwork(network);
        created.push(network);
      }
      return {
        value: created,
        detail: stack.networks.length === 0 ? 'No external networks needed' : created.length > 0 ? `Created ${created.join(', ')}` : `Networks already exist (${stack.networks.join(', ')})`,
        outcome: created.length > 0 ? 'done' : 'skipped',
      };
    });

    const pulled = await step('pull', async () => {
      const { downloaded } = await pullImages(engine, plan.images, sink, signal);
      return { value: downloaded, detail: downloaded > 0 ? `Pulled ${downloaded} of ${plan.images.length} images` : `All ${plan.images.length} images up to date` };
    });

    const env = await readEnvFile(layout.envFile);
    const facts = readComposeFacts(plan.composeSource, plan.composeFile, { ...env?.toRecord(), ...process.env });
    const project: ComposeProject = { name: stack.name, composeFile: plan.composeFile, envFile: layout.envFile };
    const healthInput = {
      engine,
      project: stack.name,
      expectedServices: facts.services,
      oneShotServices: facts.oneShotServices,
      checks: stack.health,
      timeoutSeconds: stack.healthTimeout,
      sink,
      signal,
    };

    await step('start', async () => {
      const compose = await deps.compose();
      const deadline = AbortSignal.timeout(stack.healthTimeout * 1000);
      await removeStaleContainers(engine, stack.name, sink);
      try {
        await compose.up(project, signal ? AbortSignal.any([signal, deadline]) : deadline);
      } catch (error) {
        if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while Compose was starting the stack.', 'Run install again to finish; what was done is kept.');
        // Compose fails when a dependency never gets healthy: name the service and show its logs.
        // Any other failure of `up` is Compose's own (a rejected file, a name conflict): say that.
        const composeLines = isOpenmatesError(error) ? error.details : [];
        if (!deadline.aborted && !isDependencyFailure(composeLines)) throw error;
        const snapshot = await takeSnapshot(healthInput);
        if (snapshot.services.some((service) => !READY_STATES.includes(service.state))) {
          const unhealthy = await unhealthyError(engine, snapshot, deadline.aborted ? `The stack did not start within ${stack.healthTimeout} s` : 'Compose could not start the stack');
          const composeSaid = isOpenmatesError(error) ? composeErrorLines(error.details) : [];
          throw new OpenmatesError(unhealthy.kind, unhealthy.message, unhealthy.hint, [...unhealthy.details, ...(composeSaid.length > 0 ? ['Compose said:', ...composeSaid.map((line) => `  ${line}`)] : [])]);
        }
        throw error;
      }
      return { value: undefined, detail: `Started ${stack.name} with ${compose.command}` };
    });

    const healthy = await step('health', async () => {
      const snapshot = await waitForHealthy(healthInput);
      return { value: snapshot, ...healthStepOutcome(snapshot, `All ${snapshot.services.length} services ready, ${snapshot.checks.length} health checks answering`) };
    });

    const after = await engine.projectContainers(stack.name);
    const shown = stack.secrets.find((secret) => secret.show);
    const shownValue = shown ? env?.get(shown.name) : undefined;
    const changed = changedFiles.length > 0 || createdNetworks.length > 0 || pulled > 0 || containersChanged(before, after);
    log.line(changed ? 'install finished' : 'install finished: everything was already in place, nothing changed');
    return {
      version: plan.version,
      installDir: layout.root,
      project: stack.name,
      services: healthy.services,
      degraded: degradedChecks(healthy.checks),
      urls: stack.urls,
      shownSecret: shown && shownValue ? { name: shown.name, value: shownValue } : undefined,
      logFile: log.path,
      changed,
    };
  } catch (error) {
    log.line(`failed: ${messageOf(error)}`);
    if (isOpenmatesError(error)) for (const detail of error.details) log.line(`  ${detail}`);
    throw error;
  } finally {
    await log.close();
  }
}

/** Compose's own error lines, without its "Creating … done" progress. */
function composeErrorLines(lines: string[]): string[] {
  const errors = lines.filter((line) => /error|unhealthy|failed|denied|not found/i.test(line));
  return (errors.length > 0 ? errors : lines).slice(-5);
}

/**
 * True when a container was created, removed or restarted. Compose re-runs finished one-shot jobs
 * on every `up` (they are idempotent by design), so only running containers' start times count.
 */
function containersChanged(before: ContainerSummary[], after: ContainerSummary[]): boolean {
  const key = (containers: ContainerSummary[]) =>
    containers
      .map((c) => `${c.id}@${c.state === 'running' ? (c.startedAt ?? '') : ''}`)
      .sort()
      .join(',');
  const runningBefore = new Set(before.filter((c) => c.state === 'running').map((c) => c.id));
  const comparable = (containers: ContainerSummary[]) => containers.map((c) => (runningBefore.has(c.id) ? c : { ...c, state: 'exited' as const }));
  return key(comparable(before)) !== key(comparable(after));
}
