import { join } from 'node:path';
import { OpenmatesError } from '../../../core/errors.js';
import type { OpName } from '../../protocol/ops.js';
import type { HandlerContext } from '../ops/handler-types.js';
import type { ApprovalStore } from './approval-store.js';
import { explainRequest, type Redact } from './explain.js';
import type { ExplainServices } from './explain-types.js';
import { bufferUpload, type BufferedUpload } from './upload-buffer.js';

export interface ApprovalGateOptions {
  store: ApprovalStore;
  services: ExplainServices;
  /** Every text of an approval passes it (the SECRETS engineer's Redactor.redact once wired; identity until then). */
  redact: Redact;
  /** Where uploads bigger than the in-memory bound wait (a 0600 file each, removed after). */
  spillDir: string;
}

/** The request as it runs once approved, and how it was let through (for its audit record). */
export interface GatedRequest {
  args: Record<string, unknown>;
  context: HandlerContext;
  /** Undefined: nothing to approve (the request would change nothing). */
  approval?: { id: string; decision: 'approved' | 'approved-for-session' | 'session-grant'; by: string };
  dispose(): Promise<void>;
}

/**
 * Safety mode for one change: buffer a write's upload, explain the request, and wait for a
 * decision (or a for-session grant that covers it). Resolves with what the handler then runs
 * with: a write's upload replayed from the buffer and expecting the version that was diffed, so
 * a file changed meanwhile is a conflict. Rejects with 'approval-denied' and the reason.
 */
export async function gateRequest(gate: ApprovalGateOptions, op: OpName, args: Record<string, unknown>, context: HandlerContext): Promise<GatedRequest> {
  let upload: BufferedUpload | undefined;
  if (op === 'files.write') upload = await bufferUpload(context.receiveChunks(), { spillDir: join(gate.spillDir, 'uploads') });
  const dispose = async () => upload?.dispose();
  try {
    if (upload && typeof args.size === 'number' && args.size !== upload.size) {
      throw new OpenmatesError('usage', `The upload has ${upload.size} bytes, not the ${args.size} the request announced; nothing was written.`, 'Send exactly `size` bytes.');
    }
    const { draft, baseVersion, nothingToDo } = await explainRequest({ op, args, device: context.device, ...(upload ? { upload } : {}), signal: context.signal }, gate.services, gate.redact);
    const runArgs = baseVersion !== undefined ? { ...args, expectedVersion: baseVersion } : args;
    const runContext: HandlerContext = upload ? { ...context, receiveChunks: upload.chunks } : context;
    if (nothingToDo) return { args: runArgs, context: runContext, dispose };
    const grant = gate.store.grantFor(draft.scope);
    if (grant) return { args: runArgs, context: runContext, approval: { id: grant.approvalId, decision: 'session-grant', by: grant.by }, dispose };
    const approved = await gate.store.request(draft, {
      signal: context.signal,
      onPending: (approval) => context.emit({ approval: { id: approval.id, headline: approval.headline, expiresAt: approval.expiresAt } }),
    });
    return {
      args: runArgs,
      context: runContext,
      approval: { id: approved.id, decision: approved.forSession ? 'approved-for-session' : 'approved', by: approved.decidedBy?.name ?? 'someone' },
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
