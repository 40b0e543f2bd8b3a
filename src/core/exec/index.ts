/** Running commands for remote access: the risk classifier, the runner, named sessions. */
export { classifyCommand, type CommandClassification } from './classify-command.js';
export type { CommandCategory, CommandRisk } from './command-rules.js';
export { createExecSessions, type ExecSessions, type SessionState } from './exec-sessions.js';
export { analyseOutput, type OutputAnalysis, type OutputKind } from './output-analysis.js';
export { runCommand, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS, type ExecResult, type RunCommandOptions } from './run-command.js';
