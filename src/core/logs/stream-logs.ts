import type { CoreDeps } from '../deps.js';
import { OpenmatesError } from '../errors.js';
import { LogSession } from './log-session.js';
import { readLogTarget, selectServices } from './log-target.js';
import { parseSince } from './since.js';
import type { LogSink, LogsOptions, LogsResult } from './types.js';

/**
 * The logs of an install's services, merged into one stream of batches (see LogSession). Without
 * `follow` it ends when every log is read; with it, when `signal` aborts. Unknown service names
 * are a usage error listing the real ones; an engine that goes away is an 'engine-unreachable'.
 */
export async function streamLogs(options: LogsOptions, deps: CoreDeps, sink: LogSink, signal?: AbortSignal): Promise<LogsResult> {
  const since = options.since === undefined ? undefined : parseSince(options.since);
  if (options.tail !== undefined && (!Number.isInteger(options.tail) || options.tail < 0)) {
    throw new OpenmatesError('usage', `The number of lines to start with must be a whole number of 0 or more, not ${options.tail}.`);
  }
  const target = await readLogTarget(options.installDir, deps);
  const shown = selectServices(target, options.services);
  sink.started?.({ project: target.project, services: target.services, shown });
  const session = new LogSession(deps.engine, target.project, new Set(shown), sink, options.timestamps, signal);
  await session.run(
    {
      follow: options.follow,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
      ...(since === undefined ? {} : { since }),
    },
    options.ordered === true,
  );
  return { project: target.project, shown, lines: session.lines };
}
