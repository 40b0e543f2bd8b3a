import { readFile } from 'node:fs/promises';
import type { ComposeProject } from '../../docker/types.js';
import { readComposeFacts, type ComposeFileFacts } from '../compose-file.js';
import { OpenmatesError } from '../errors.js';
import { composeFileOf, installLayout, type InstallLayout } from '../install-dir.js';
import { readEnvFile, type EnvFile } from '../install/env-file.js';
import type { Stack } from '../stack/schema.js';
import { readInstalledStack } from '../stack/resolve.js';

/** An existing install, as backup and restore need it. */
export interface InstalledStack {
  layout: InstallLayout;
  stack: Stack;
  composeFile: string;
  project: ComposeProject;
  env?: EnvFile;
  /** The install's tag (.env), else the stack file's. */
  version: string;
  /** Undefined when the compose file is missing or unreadable. */
  facts?: ComposeFileFacts;
}

export async function readInstall(installDir: string): Promise<InstalledStack> {
  const layout = installLayout(installDir);
  const installed = await readInstalledStack(layout);
  if (!installed) {
    throw new OpenmatesError('not-installed', `Nothing is installed in ${layout.root}.`, 'Pass the install directory with --path, or install first: `openmates server install`.');
  }
  const { stack } = installed;
  const env = await readEnvFile(layout.envFile);
  const composeFile = composeFileOf(layout, stack);
  const composeSource = await readFile(composeFile, 'utf8').catch(() => undefined);
  const facts = composeSource ? readComposeFacts(composeSource, composeFile, { ...env?.toRecord(), ...process.env }) : undefined;
  return {
    layout,
    stack,
    composeFile,
    project: { name: stack.name, composeFile, envFile: layout.envFile },
    ...(env ? { env } : {}),
    version: env?.get(stack.tagVariable) ?? stack.tag,
    ...(facts ? { facts } : {}),
  };
}
