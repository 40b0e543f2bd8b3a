import type { FileOps } from '../../../core/files/index.js';
import type { Operations } from '../../../core/operations.js';
import type { Approval, ApprovalDetails } from '../../protocol/approvals.js';
import type { CommandClassifier } from '../policy.js';
import type { GrantScope } from './session-grants.js';

/** What the explainer may look at: the core's files and operations, never the file system or Docker itself. */
export interface ExplainServices {
  files: FileOps;
  roots: string[];
  classifyCommand: CommandClassifier;
  operations(): Promise<Operations>;
  installDir: string;
}

/** One request explained: everything of its Approval that depends on what it does. */
export interface Explanation {
  headline: string;
  targets: string[];
  details: ApprovalDetails;
  undo: Approval['undo'];
  forSessionAllowed: boolean;
  /** Without the device (the caller adds it). */
  scope: DistributiveOmit<GrantScope, 'deviceId'>;
  /** The request would change nothing (an update to the version that runs): it runs without asking. */
  nothingToDo?: boolean;
  /** A write: the version the diff was made against; the approved write expects it (null: the file must still not exist). */
  baseVersion?: string | null;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const FILE_UNDO: Approval['undo'] = { possible: true, how: 'yes: `openmates remote-access undo` lists it and puts the previous state back' };
