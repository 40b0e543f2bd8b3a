import type { Stack } from '../stack/schema.js';
import type { DegradedCheck } from '../health/degraded.js';
import type { EnvPlaceholders } from './env-placeholders.js';
import type { ServiceStatus } from '../status/types.js';

export interface InstallOptions {
  installDir: string;
  /** A stack file; without it the install dir's copy, else the built-in OpenMates stack. */
  stackFile?: string;
  /** Treat RAM/disk shortfalls as errors instead of warnings. */
  strictRequirements?: boolean;
  /** Overrides the stack's healthTimeout (seconds). */
  healthTimeout?: number;
  /** --tag: install this version (it must be in the registry) instead of the newest release. */
  tag?: string;
}

export interface PreflightCheck {
  name: string;
  level: 'ok' | 'warning' | 'error';
  detail: string;
  /** What to do about it, for warnings and errors. */
  hint?: string;
}

export interface InstallPlan {
  stack: Stack;
  /** The stack file's text, copied into the install dir. */
  stackSource: string;
  installDir: string;
  /** Absolute path of the compose file inside the install dir. */
  composeFile: string;
  /** The compose file's text, fetched or read, not yet written. */
  composeSource: string;
  /** True when the install dir already holds an install of this stack. */
  alreadyInstalled: boolean;
  version: string;
  /** Why this version: "newest stable in ghcr.io/glowingkitty/openmates-api", "pinned with --tag", … */
  versionReason: string;
  /** The git commit the compose file was fetched from (the release's revision label), when it was. */
  composeCommit?: string;
  checks: PreflightCheck[];
  /** This host's values for the placeholders in the stack's env defaults. */
  placeholders: EnvPlaceholders;
  images: string[];
  /** The steps install will go through, in order, so a face can list them before they start. */
  steps: { id: string; title: string }[];
}

export interface InstallResult {
  version: string;
  installDir: string;
  project: string;
  services: ServiceStatus[];
  /** Health checks that answered degraded: installed and up, with a warning. */
  degraded: DegradedCheck[];
  urls: { name: string; url: string }[];
  /** The one secret meant to be shown (the first invite code). */
  shownSecret?: { name: string; value: string };
  logFile: string;
  /** False when a re-run found everything already in place. */
  changed: boolean;
}
