import { OpenmatesError, isOpenmatesError } from '../../core/errors.js';
import { OPS, type OpName } from '../protocol/ops.js';
import type { AuditLog } from './audit-log.js';
import type { AuditRecord } from './audit-record.js';
import { auditTarget } from './audit-target.js';
import type { Handler, HandlerContext } from './ops/handler-types.js';
import { checkSafetyGate, classifyRequest, type CommandClassifier } from './policy.js';

export interface GuardOptions {
  /** Read on every request, so a stop/start is not needed to see the current mode. */
  safetyMode: () => boolean;
  classifyCommand: CommandClassifier;
  audit: AuditLog;
  installDir: string;
  /** Each finished request as the audit log has it (the live feed of `start`). */
  onRecord?: (record: AuditRecord) => void;
}

/**
 * Wraps every handler in the policy and the audit log: classify, refuse a change in safety
 * mode before anything runs, count the bytes, and write one audit record however it ends.
 */
export function guardHandlers(handlers: Record<OpName, Handler>, options: GuardOptions): Record<OpName, Handler> {
  const guarded = {} as Record<OpName, Handler>;
  for (const op of Object.keys(handlers) as OpName[]) {
    const handler = handlers[op];
    guarded[op] = (async (raw: unknown, context: HandlerContext) => {
      const started = Date.now();
      const parsed = OPS[op].args.safeParse(raw ?? {});
      const args = (parsed.success ? parsed.data : raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      let bytes = 0;
      const record = async (outcome: { decision: 'allowed' | 'refused'; reason?: string; code?: string }, result?: unknown) => {
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
        });
        options.onRecord?.(written);
      };
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const error = new OpenmatesError('usage', `Bad arguments for ${op}: ${issue ? `${issue.path.join('.') || 'args'}: ${issue.message}` : 'invalid'}.`, 'See docs/remote-protocol.md for the arguments of each operation.');
        await record({ decision: 'allowed', code: 'usage' });
        throw error;
      }
      try {
        checkSafetyGate(classifyRequest(op, args, options.classifyCommand), options.safetyMode());
      } catch (error) {
        await record({ decision: 'refused', reason: (error as Error).message, code: 'refused' });
        throw error;
      }
      const counted: HandlerContext = {
        ...context,
        sendChunk: (chunk) => {
          bytes += chunk.byteLength;
          return context.sendChunk(chunk);
        },
        receiveChunks: () => countChunks(context.receiveChunks(), (size) => (bytes += size)),
      };
      try {
        const result = await handler(args as never, counted);
        await record({ decision: 'allowed' }, result);
        return result;
      } catch (error) {
        const code = isOpenmatesError(error) ? error.kind : 'internal';
        // The scope and sensitive-file checks live in the core file operations: their 'refused' is the policy's.
        await record(code === 'refused' ? { decision: 'refused', reason: (error as Error).message, code } : { decision: 'allowed', code });
        throw error;
      }
    }) as Handler;
  }
  return guarded;
}

async function* countChunks(chunks: AsyncIterable<Uint8Array>, add: (size: number) => void): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    add(chunk.byteLength);
    yield chunk;
  }
}
