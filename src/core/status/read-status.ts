import { readFile } from 'node:fs/promises';
import { readComposeFactsRemembered } from '../compose-facts.js';
import type { CoreDeps } from '../deps.js';
import { takeSnapshot, isHealthy } from '../health/wait-for-healthy.js';
import { degradedChecks } from '../health/degraded.js';
import { composeFileOf, installLayout, type InstallLayout } from '../install-dir.js';
import { readEnvFile } from '../install/env-file.js';
import { readInstalledStack, readUninstalledStack } from '../stack/resolve.js';
import type { InstanceStatus } from './types.js';
import { readUpdateInProgress } from '../update/update-state.js';

/** What is installed in a directory and how it is doing, read from the engine and the health URLs. */
export async function readStatus(options: { installDir: string }, deps: CoreDeps, signal?: AbortSignal): Promise<InstanceStatus> {
  const layout = installLayout(options.installDir);
  const installed = await readInstalledStack(layout);
  if (!installed) {
    const keptData = await readKeptData(layout);
    return { installed: false, installDir: layout.root, services: [], checks: [], urls: [], healthy: false, degraded: false, ...(keptData ? { keptData } : {}) };
  }
  const { stack } = installed;
  // The engine's first answer takes longest: it is asked while the other files are read.
  const pinged = deps.engine.ping();
  pinged.catch(() => undefined); // awaited below
  const composeFile = composeFileOf(layout, stack);
  const [env, composeSource] = await Promise.all([readEnvFile(layout.envFile), readFile(composeFile, 'utf8').catch(() => undefined)]);
  await pinged;
  const facts = composeSource ? await readComposeFactsRemembered(composeSource, composeFile, { ...env?.toRecord(), ...process.env }) : undefined;
  const interruptedUpdate = readUpdateInProgress(layout);
  interruptedUpdate.catch(() => undefined); // awaited after the snapshot
  const snapshot = await takeSnapshot({
    engine: deps.engine,
    project: stack.name,
    expectedServices: facts?.services ?? [],
    oneShotServices: facts?.oneShotServices ?? [],
    checks: stack.health,
    signal,
  });
  const update = await interruptedUpdate;
  const healthy = isHealthy(snapshot);
  return {
    ...(update ? { interruptedUpdate: update } : {}),
    installed: true,
    installDir: layout.root,
    project: stack.name,
    version: env?.get(stack.tagVariable) ?? stack.tag,
    services: snapshot.services,
    checks: snapshot.checks,
    urls: stack.urls,
    healthy,
    degraded: healthy && degradedChecks(snapshot.checks).length > 0,
  };
}

/** After an uninstall that kept the data: which stack, and the note saying how to come back or delete it. */
export async function readKeptData(layout: InstallLayout): Promise<InstanceStatus['keptData']> {
  const uninstalled = await readUninstalledStack(layout).catch(() => undefined);
  if (!uninstalled) return undefined;
  const { stack } = uninstalled;
  return { project: stack.name, volumes: [...stack.volumes.data, ...stack.volumes.cache], envFile: layout.envFile, note: layout.uninstalledNote };
}
