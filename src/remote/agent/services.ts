import type { Operations } from '../../core/operations.js';
import type { FileOps, UndoJournal } from '../../core/files/index.js';
import type { ExecResult } from '../protocol/ops.js';
import type { HostFacts } from '../protocol/host-facts.js';
import type { Redactor } from '../../core/secrets/index.js';
import type { CommandClassifier } from './policy.js';
import type { RemoteTerminals } from './remote-terminals.js';
import type { RunEngine } from '../../core/runs/index.js';

export interface RunCommandRequest {
  command: string;
  cwd: string;
  env?: Record<string, string>;
  /** Inherited variables to leave out (the secret ones, for an operator's command). */
  dropEnv?: (name: string) => boolean;
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
  /** Isolated runs' containers: connects to the engine on each call until it answers. */
  runs(): Promise<RunEngine>;
  /** Interactive shells, each owned by the device that opened it. */
  terminals: RemoteTerminals;
  /** Known secrets of this server (install .env, agent env, .env files in the roots, login session) and likely ones. */
  secrets: AgentSecrets;
}

/** The redactor, plus hints that files in the roots changed (a new .env may be there). */
export interface AgentSecrets extends Redactor {
  /** Something may have created or moved files (a command, a move): look for .env files again (in the background). */
  rootsChanged(): void;
  /** The agent wrote this file (real path): if it is a .env file in the roots, its values count from now on. */
  fileWritten(path: string): void;
}
