import type { OperationEvent } from '../../core/events.js';
import type { InstanceStatus } from '../../core/status/types.js';
import { statusText } from './status.js';
import type { CliContext } from '../context.js';
import { humanProgressSink } from '../render/human-progress.js';
import { writeJsonLine } from '../render/json-lines.js';
import { withRemoteServer } from '../remote/with-server.js';
import type { RemoteServerOptions } from './remote-server.command.js';

const OPERATION_EVENTS = new Set(['step-started', 'step-finished', 'step-failed', 'pull-progress', 'health', 'check', 'log-line', 'warning', 'info']);

/** `openmates remote server ...`: the remote core operation, its events rendered as the local command renders them. */
export async function remoteServerCommand(options: RemoteServerOptions, context: CliContext): Promise<number> {
  const human = humanProgressSink(context.stderr);
  const onEvent = (event: unknown) => {
    if (options.json) return writeJsonLine(context.stdout, { type: 'event', event });
    const typed = event as { type?: string };
    if (typed.type && OPERATION_EVENTS.has(typed.type)) human(event as OperationEvent);
  };
  const result = await withRemoteServer(options, context, async (server) => {
    const signal = context.signal;
    switch (options.action) {
      case 'status':
        return server.server.status({ signal });
      case 'logs': {
        const stream = server.server.logs({ signal, follow: options.follow, ...(options.services ? { services: options.services } : {}), ...(options.tail !== undefined ? { tail: options.tail } : {}) });
        for await (const event of stream) {
          const entry = event as { type?: string; kind?: string; service?: string; text?: string };
          if (options.json) writeJsonLine(context.stdout, { type: 'event', event });
          else if (entry.type === 'log') context.stdout.write(`${entry.service} | ${entry.text}\n`);
        }
        return stream.result;
      }
      case 'start':
        return server.server.start({ signal, onEvent });
      case 'stop':
        return server.server.stop({ signal, onEvent });
      case 'restart':
        return server.server.restart({ signal, onEvent, clearCache: options.clearCache });
      case 'update':
        return server.server.update({ signal, onEvent, ...(options.tag !== undefined ? { to: options.tag } : {}) });
    }
  }, { reconnect: options.action === 'logs' && options.follow === true });
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ...result });
  else if (options.action === 'status') context.stdout.write(statusText(result as unknown as InstanceStatus));
  else if (options.action !== 'logs') context.stdout.write(doneText(options.action, result as Record<string, unknown>));
  return 0;
}

function doneText(action: string, result: Record<string, unknown>): string {
  const name = [result.project, result.version].filter(Boolean).join(' ');
  return `✓ ${name || 'The stack'}: ${action} done${typeof result.durationSeconds === 'number' ? ` in ${result.durationSeconds} s` : ''}${typeof result.outcome === 'string' ? ` (${result.outcome})` : ''}.\n`;
}
