import { readEnvFile, type EnvFile } from '../install/env-file.js';
import { installLayout, type InstallLayout } from '../install-dir.js';
import type { Stack } from '../stack/schema.js';
import { readInstalledStack } from '../stack/resolve.js';

/** What an install runs now: its stack copy, and the tag and registry its .env gives Compose. */
export interface InstalledVersion {
  layout: InstallLayout;
  stack: Stack;
  /** The stack copy's text (the tag in it is switched along with .env). */
  stackSource: string;
  env: EnvFile | undefined;
  /** .env's tag variable, else the stack copy's tag. */
  tag: string;
  /** .env's registry variable (a mirror the user set wins), else the stack's registry. */
  registry: string;
}

export async function readInstalledVersion(installDir: string): Promise<InstalledVersion | undefined> {
  const layout = installLayout(installDir);
  const installed = await readInstalledStack(layout);
  if (!installed) return undefined;
  const env = await readEnvFile(layout.envFile);
  const { stack } = installed;
  return {
    layout,
    stack,
    stackSource: installed.source,
    env,
    tag: env?.get(stack.tagVariable) || stack.tag,
    registry: env?.get(stack.registryVariable) || stack.registry,
  };
}
