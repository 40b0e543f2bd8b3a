/** An isolated run: one command in a fresh container, with a copy of a git repository at a branch. */
export type RunNetwork = 'none' | 'bridge';

/** What a run is asked to be, all settings resolved (run-settings.ts says where each came from). */
export interface RunRequest {
  command: string[];
  /** What is cloned: a URL (credentials never in it) or a local path. */
  repo: string;
  branch: string;
  image: string;
  env: Record<string, string>;
  timeoutSeconds: number;
  cpus: number;
  memoryBytes: number;
  network: RunNetwork;
}

export type RunStatus = 'created' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed out';

export interface RunInfo {
  id: string;
  command: string[];
  repo: string;
  branch: string;
  image: string;
  status: RunStatus;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** The command's exit code; a run that timed out is 124 (as `timeout` answers), one cancelled 130. */
  exitCode?: number;
  /** When the run is killed if it has not finished. */
  deadline: string;
  network: RunNetwork;
  /** Names of the variables it was given (never their values). */
  envNames: string[];
}

export const RUN_DEFAULTS = {
  timeoutSeconds: 3600,
  cpus: 1,
  memoryBytes: 1024 ** 3,
  network: 'none' as RunNetwork,
  /** Finished runs kept (with their logs and exit codes); older ones are removed after each new run. */
  keepFinished: 50,
};

export const TIMED_OUT_EXIT_CODE = 124;
export const CANCELLED_EXIT_CODE = 130;
