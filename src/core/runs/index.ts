export { cancelRun, endRun, findRun, isFinished, listRuns, pruneRuns, removeFinished, removeRun, superviseRun } from './run-control.js';
export { readGitToken, gitTokenFile } from './git-token.js';
export { RUN_FILE, readRunFile, runFileText, type RunFile } from './run-file.js';
export { resolveRunSettings, type ResolvedRun, type RunFlags, type SettingSource } from './run-settings.js';
export { startRun, WORKSPACE, type RunProgress, type StartRunOptions } from './start-run.js';
export { runContainerName, runInfo } from './run-labels.js';
export type { RunContainer, RunEngine } from './run-engine.js';
export { CANCELLED_EXIT_CODE, RUN_DEFAULTS, TIMED_OUT_EXIT_CODE, type RunInfo, type RunNetwork, type RunRequest, type RunStatus } from './run-types.js';
