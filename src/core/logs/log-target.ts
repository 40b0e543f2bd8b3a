import { readFile } from 'node:fs/promises';
import { readComposeFacts } from '../compose-file.js';
import type { CoreDeps } from '../deps.js';
import { OpenmatesError } from '../errors.js';
import { composeFileOf, installLayout } from '../install-dir.js';
import { readEnvFile } from '../install/env-file.js';
import { readInstalledStack } from '../stack/resolve.js';

export interface LogTarget {
  project: string;
  /** Every service: the compose file's and those of the project's containers, sorted. */
  services: string[];
}

/** Which Compose project an install dir holds and its services; not installed is an error. */
export async function readLogTarget(installDir: string, deps: CoreDeps): Promise<LogTarget> {
  const layout = installLayout(installDir);
  const installed = await readInstalledStack(layout);
  if (!installed) {
    throw new OpenmatesError(
      'not-installed',
      `Nothing is installed in ${layout.root}, so there are no logs to show.`,
      'Pass the install directory with --path, or install first with `openmates server install`.',
    );
  }
  const { stack } = installed;
  await deps.engine.ping();
  const env = await readEnvFile(layout.envFile);
  const composeFile = composeFileOf(layout, stack);
  const composeSource = await readFile(composeFile, 'utf8').catch(() => undefined);
  const facts = composeSource ? readComposeFacts(composeSource, composeFile, { ...env?.toRecord(), ...process.env }) : undefined;
  const containers = await deps.engine.projectContainers(stack.name);
  const services = new Set([...(facts?.services ?? []), ...containers.map((container) => container.service).filter(Boolean)]);
  return { project: stack.name, services: [...services].sort() };
}

/** The services to show: all, or the requested ones after checking each exists. */
export function selectServices(target: LogTarget, requested: string[] | undefined): string[] {
  const wanted = [...new Set((requested ?? []).map((name) => name.trim()).filter(Boolean))];
  if (wanted.length === 0) return target.services;
  const unknown = wanted.filter((name) => !target.services.includes(name));
  if (unknown.length > 0) {
    const names = unknown.map((name) => `"${name}"`).join(', ');
    throw new OpenmatesError(
      'usage',
      `${unknown.length === 1 ? 'There is no service' : 'There are no services'} ${names} in ${target.project}; its services are ${target.services.join(', ') || '(none)'}.`,
      'Name one or more of those services (e.g. --service api,worker).',
    );
  }
  return wanted;
}
