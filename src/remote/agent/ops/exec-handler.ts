import type { OpArgs } from '../../protocol/ops.js';
import type { AgentServices } from '../services.js';
import type { HandlerContext } from './handler-types.js';

/** exec: runs in the first root by default; a session name is kept apart per device. */
export function execHandler(services: Pick<AgentServices, 'runCommand' | 'roots' | 'files'>) {
  return {
    async exec(args: OpArgs<'exec'>, context: HandlerContext) {
      const cwd = args.cwd === undefined ? services.roots[0]! : await services.files.resolve(args.cwd);
      const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
      return services.runCommand({
        command: args.command,
        cwd,
        ...(args.env ? { env: args.env } : {}),
        ...(context.dropEnv ? { dropEnv: context.dropEnv } : {}),
        ...(args.timeoutSeconds !== undefined ? { timeoutMs: Math.round(args.timeoutSeconds * 1000) } : {}),
        ...(args.session !== undefined ? { session: `${context.device.id}:${args.session}` } : {}),
        signal: context.signal,
        onOutput: (stream, chunk) => {
          const text = decoders[stream].decode(chunk, { stream: true });
          if (text) context.emit({ stream, text });
        },
      });
    },
  };
}
