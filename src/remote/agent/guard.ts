import { OpenmatesError, isOpenmatesError } from '../../core/errors.js';
import { OPS, type OpName } from '../protocol/ops.js';
import { ApprovalDeniedError } from './approvals/approval-store.js';
import { gateRequest, type ApprovalGateOptions, type GatedRequest } from './approvals/approval-gate.js';
import type { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';
import { auditTarget } from './audit-target.js';
import type { Handler, HandlerContext } from './ops/handler-types.js';
import { classifyRequest, needsApproval, type CommandClassifier } from './policy.js';

export interface GuardOptions {
  /** Read on every request, so a stop/start is not needed to see the current mode. */
  safetyMode: () => boolean;
  classifyCommand: CommandClassifier;
  audit: AuditLog;
  installDir: string;
  /** Safety mode's approvals: the store, the explainer's services, the redactor. */
  approvals: ApprovalGateOptions;
  /** Each finished request as the audit log has it (the live feed of `start`). */
  onRecord?: (record: AuditRecord) => void;
  /** Each request as it starts: settles once it is audited and answered (a stop can wait for those it ended). */
  onCall?: (op: OpName, done: Promise<unknown>) => void;
}

/** Keystrokes and resizes: too many to audit one by one; the terminal's open, close and end are (a refusal still is). */
const UNAUDITED_WHEN_OK = new Set<OpName>(['terminal.write', 'terminal.resize']);

type Outcome = { decision: 'allowed' | 'refused'; reason?: string; code?: string; approval?: { id: string; decision: string; by: string } };

/**
 * Wraps every handler in the policy and the audit log: classify, in safety mode wait for an
 * approval before a change runs, count the bytes, and write one audit record however it ends.
 */
export function guardHandlers(handlers: Record<OpName, Handler>, options: GuardOptions): Record<OpName, Handler> {
  const guarded = {} as Record<OpName, Handler>;
  for (const op of Object.keys(handlers) as OpName[]) {
    const handler = handlers[op];
    const run = async (raw: unknown, context: HandlerContext) => {
      const started = Date.now();
      const parsed = OPS[op].args.safeParse(raw ?? {});
      let args = (parsed.success ? parsed.data : raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      let bytes = 0;
      let gated: GatedRequest | undefined;
      const record = async (outcome: Outcome, result?: unknown) => {
        const written = await options.audit.append({
          device: { id: context.device.id, name: context.device.name },
          role: context.device.role,
          op,
          target: auditTarget(op, args, options.installDir, result),
          decision: outcome.decision,
          ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
          result: outcome.code === undefined ? 'ok' : 'error',
          ...(outcome.code !== undefined ? { code: outcome.code } : {}),
          bytes,
          durationMs: Date.now() - started,
          ...(gated?.approval ? { approval: gated.approval } : outcome.approval ? { approval: outcome.approval } : {}),
        });
        options.onRecord?.(written);
      };
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const error = new OpenmatesError('usage', `Bad arguments for ${op}: ${issue ? `${issue.path.join('.') || 'args'}: ${issue.message}` : 'invalid'}.`, 'See docs/remote-protocol.md for the arguments of each operation.');
        await record({ decision: 'allowed', code: 'usage' });
        throw error;
      }
      let runContext = context;
      if (needsApproval(classifyRequest(op, args, options.classifyCommand), options.safetyMode())) {
        try {
          gated = await gateRequest(options.approvals, op, args, context);
        } catch (error) {
          const approval = error instanceof ApprovalDeniedError ? error.approval : undefined;
          const written = record({ ...failure(error), ...(approval ? { approval: { id: approval.id, decision: approval.state, by: approval.decidedBy?.name ?? 'nobody' } } : {}) });
          // A denial is in the audit log already (the store's decision record): the caller hears it at once,
          // which matters when the agent stops and its sessions close right after. The log's close waits for this line.
          if (approval) written.catch(() => undefined);
          else await written;
          throw error;
        }
        args = gated.args;
        runContext = gated.context;
      }
      const counted: HandlerContext = {
        ...runContext,
        sendChunk: (chunk) => {
          bytes += chunk.byteLength;
          return runContext.sendChunk(chunk);
        },
        receiveChunks: () => countChunks(runContext.receiveChunks(), (size) => (bytes += size)),
      };
      try {
        const result = await handler(args as never, counted);
        if (!UNAUDITED_WHEN_OK.has(op)) await record({ decision: 'allowed' }, result);
        return result;
      } catch (error) {
        await record(failure(error));
        throw error;
      } finally {
        await gated?.dispose();
      }
    };
    guarded[op] = ((raw: unknown, context: HandlerContext) => {
      const done = run(raw, context);
      options.onCall?.(op, done);
      return done;
    }) as Handler;
  }
  return guarded;
}

/** The scope and sensitive-file checks live in the core file operations: their 'refused' is the policy's, as is a denied approval. */
function failure(error: unknown): Outcome {
  const code = isOpenmatesError(error) ? error.kind : 'internal';
  return code === 'refused' || code === 'approval-denied' ? { decision: 'refused', reason: (error as Error).message, code } : { decision: 'allowed', code };
}

async function* countChunks(chunks: AsyncIterable<Uint8Array>, add: (size: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    add(chunk.byteLength);
    yield chunk;
  }
}
