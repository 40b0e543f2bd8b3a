import type { Operations } from '../../core/operations.js';
import type { FileOps, UndoJournal } from '../../core/files/index.js';
import type { ExecResult } from '../protocol/ops.js';
import type { HostFacts } from '../protocol/host-facts.js';
import type { CommandClassifier } from './policy.js';

export interface RunCommandRequest {
  command: string;
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  session?: string;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Uint8Array) => void;
}

/** The core the agent's handlers call: files, commands, host facts and the stack's operations. */
export interface AgentServices {
  /** Every change through `files` is recorded in `undo`. */
  files: FileOps;
  undo: UndoJournal;
  /** The shared roots, resolved; the first is where commands run by default. */
  roots: string[];
  classifyCommand: CommandClassifier;
  /** Runs a command; sessions are kept per device by the caller's session key. */
  runCommand(request: RunCommandRequest): Promise<ExecResult>;
  hostFacts(): Promise<HostFacts>;
  /** Connects to the engine on each call until it answers, so a restarted engine is found again. */
  operations(): Promise<Operations>;
  installDir: string;
}
