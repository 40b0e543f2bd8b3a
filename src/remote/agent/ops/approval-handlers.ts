import type { Approval } from '../../protocol/approvals.js';
import type { OpArgs } from '../../protocol/ops.js';
import type { ApprovalStore } from '../approvals/approval-store.js';
import { approverOnly, type HandlerContext } from './handler-types.js';

/** approvals.*: for approver devices; a decision through here names the device as the one who decided. */
export function approvalHandlers(store: ApprovalStore) {
  return {
    async 'approvals.list'(_args: OpArgs<'approvals.list'>, context: HandlerContext) {
      approverOnly(context, 'list approvals');
      return { approvals: store.list() };
    },
    // The store refuses (and audits) an operator's decision itself, so every face gets the same answer.
    'approvals.decide': (args: OpArgs<'approvals.decide'>, context: HandlerContext) =>
      store.decide(args, { via: 'device', name: context.device.name, deviceId: context.device.id, role: context.device.role }),
    async 'approvals.watch'(_args: OpArgs<'approvals.watch'>, context: HandlerContext) {
      approverOnly(context, 'watch approvals');
      const send = (approval: Approval) => context.emit({ type: 'approval', approval });
      const stop = store.watch(send);
      try {
        for (const approval of store.list().filter((item) => item.state === 'pending')) send(approval);
        await new Promise<void>((resolve) => {
          if (context.signal.aborted) return resolve();
          context.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } finally {
        stop();
      }
      return { ended: true as const };
    },
  };
}
