import { readFile } from 'node:fs/promises';
import type { ComposeProject } from '../docker/types.js';
import { readComposeFacts, type ComposeFileFacts } from './compose-file.js';
import { OpenmatesError } from './errors.js';
import { composeFileOf, installLayout, type InstallLayout } from './install-dir.js';
import { readEnvFile, type EnvFile } from './install/env-file.js';
import { readInstalledStack } from './stack/resolve.js';
import type { Stack } from './stack/schema.js';

/** What an install directory holds, as the day-two operations (dashboard, start, stop, restart) need it. */
export interface InstalledInstance {
  layout: InstallLayout;
  stack: Stack;
  env?: EnvFile;
  /** The tag in .env (what runs), else the stack's. */
  version: string;
  compose: ComposeProject;
  /** Undefined when the compose file is missing. */
  facts?: ComposeFileFacts;
}

/** The instance installed in `installDir`, or undefined when nothing is installed there. */
export async function readInstalledInstance(installDir: string): Promise<InstalledInstance | undefined> {
  const layout = installLayout(installDir);
  const installed = await readInstalledStack(layout);
  if (!installed) return undefined;
  const { stack } = installed;
  const env = await readEnvFile(layout.envFile);
  const composeFile = composeFileOf(layout, stack);
  const composeSource = await readFile(composeFile, 'utf8').catch(() => undefined);
  const variables = { ...stack.env, ...env?.toRecord(), ...process.env };
  return {
    layout,
    stack,
    ...(env ? { env } : {}),
    version: env?.get(stack.tagVariable) ?? stack.tag,
    compose: { name: stack.name, composeFile, envFile: layout.envFile },
    ...(composeSource !== undefined ? { facts: readComposeFacts(composeSource, composeFile, variables) } : {}),
  };
}

/**
 * Like readInstalledInstance, for operations that cannot work without an install: throws
 * 'not-installed' naming the directory and how to install, or 'operation-failed' when the install
 * lacks a file Compose needs.
 */
export async function requireInstalledInstance(installDir: string): Promise<InstalledInstance & { facts: ComposeFileFacts }> {
  const instance = await readInstalledInstance(installDir);
  if (!instance) {
    const root = installLayout(installDir).root;
    throw new OpenmatesError('not-installed', `Nothing is installed in ${root}.`, `Install it first with \`openmates server install --path ${root}\` (or pick another directory with --path).`);
  }
  if (!instance.facts) {
    throw new OpenmatesError('operation-failed', `The compose file ${instance.compose.composeFile} of the install is missing.`, `Run \`openmates server install --path ${instance.layout.root}\` to repair the install; it keeps your data and secrets.`);
  }
  if (!instance.env) {
    throw new OpenmatesError('operation-failed', `The install's ${instance.layout.envFile} is missing, so Compose cannot start the stack.`, `Put the .env back (from a backup) or run \`openmates server install --path ${instance.layout.root}\`, which explains what it can safely do.`);
  }
  return instance as InstalledInstance & { facts: ComposeFileFacts };
}
