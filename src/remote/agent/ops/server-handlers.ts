import type { EventSink } from '../../../core/events.js';
import type { LifecycleAction } from '../../../core/lifecycle/types.js';
import type { OpArgs } from '../../protocol/ops.js';
import type { AgentServices } from '../services.js';
import type { HandlerContext } from './handler-types.js';

/** server.*: the core's own operations on the install at --path; reset and uninstall are not offered. */
export function serverHandlers(services: Pick<AgentServices, 'operations' | 'installDir'>) {
  const installDir = services.installDir;
  const sinkFor = (context: HandlerContext): EventSink => (event) => context.emit(event);
  const lifecycle = (action: LifecycleAction) => async (args: { clearCache?: boolean }, context: HandlerContext) => {
    const operations = await services.operations();
    const plan = await operations.planLifecycle({ installDir, action, clearCache: action === 'restart' && args.clearCache === true }, context.signal);
    const { stack: _stack, compose: _compose, ...shown } = plan;
    context.emit({ type: 'plan', ...shown });
    return operations.runLifecycle(plan, sinkFor(context), context.signal);
  };
  return {
    'server.status': async (_args: OpArgs<'server.status'>, context: HandlerContext) => (await services.operations()).status({ installDir }, context.signal),
    async 'server.logs'(args: OpArgs<'server.logs'>, context: HandlerContext) {
      const operations = await services.operations();
      return operations.logs(
        { installDir, follow: args.follow === true, timestamps: false, ...(args.services?.length ? { services: args.services } : {}), ...(args.tail !== undefined ? { tail: args.tail, ordered: true } : {}) },
        {
          started: (info) => context.emit({ type: 'started', ...info }),
          entries: (batch) => {
            for (const entry of batch) context.emit({ type: 'log', ...entry });
          },
        },
        context.signal,
      );
    },
    'server.start': lifecycle('start'),
    'server.stop': lifecycle('stop'),
    'server.restart': lifecycle('restart'),
    async 'server.update'(args: OpArgs<'server.update'>, context: HandlerContext) {
      const operations = await services.operations();
      const plan = await operations.planUpdate({ installDir, ...(args.to !== undefined ? { to: args.to } : {}) }, sinkFor(context), context.signal);
      if (plan.upToDate && !plan.interrupted) return { outcome: 'up-to-date', project: plan.project, version: plan.current };
      return operations.update(plan, sinkFor(context), context.signal);
    },
  };
}
