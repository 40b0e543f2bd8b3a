import * as z from 'zod';
import { OpenmatesError } from '../../core/errors.js';
import { askAgent } from './control-client.js';
import { controlSocketPath } from './control-path.js';
import { remoteStateDir } from './state-dir.js';
import { approvalSchema, type Approval, type ApprovalDecision } from '../protocol/approvals.js';

/** Where the screens and the CLI read and decide approvals: the running agent, or a fake in tests. */
export interface ApprovalsSource {
  /** Pending first, then the recently decided, newest first; undefined when no agent runs. */
  list(): Promise<Approval[] | undefined>;
  /** The approval as decided; throws the agent's error (e.g. someone else decided first). */
  decide(decision: ApprovalDecision): Promise<Approval>;
}

const approvalListSchema = z.array(approvalSchema);

function notUnderstood(): OpenmatesError {
  return new OpenmatesError('operation-failed', 'The remote-access agent answered approvals in a shape this openmates does not understand.', 'Is it another version? Stop it and start it again.');
}

export interface ControlSocketApprovalsOptions {
  /** The agent's state dir (default: this user's, see state-dir.ts). */
  stateDir?: string;
  /** The face deciding, for the audit log (default: the full-screen app). */
  via?: 'app' | 'cli';
  env?: NodeJS.ProcessEnv;
}

/** The agent that keeps its state in `stateDir`, over its control socket. */
export function controlSocketApprovals(options: ControlSocketApprovalsOptions = {}): ApprovalsSource {
  const env = options.env ?? process.env;
  const via = options.via ?? 'app';
  const socket = controlSocketPath(options.stateDir ?? remoteStateDir(env), env).path;
  return {
    async list() {
      const result = await askAgent(socket, { op: 'approvals' });
      if (result === undefined) return undefined;
      const parsed = approvalListSchema.safeParse(result);
      if (!parsed.success) throw notUnderstood();
      return parsed.data;
    },
    async decide(decision) {
      const result = await askAgent(socket, { op: 'approvals.decide', via, decision });
      if (result === undefined) throw new OpenmatesError('operation-failed', 'The remote-access agent is not running any more, so nothing was decided.', 'Start it again with `openmates remote-access start`.');
      const parsed = approvalSchema.safeParse(result);
      if (!parsed.success) throw notUnderstood();
      return parsed.data;
    },
  };
}
