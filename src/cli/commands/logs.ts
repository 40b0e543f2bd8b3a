import { createOperations } from '../../core/create-operations.js';
import { eitherSignal } from '../../core/either-signal.js';
import { installDirOf, type CliContext } from '../context.js';
import { LogText } from '../render/log-text.js';
import { writeJsonLine } from '../render/json-lines.js';
import type { LogsCommandOptions } from './logs.command.js';

/**
 * `openmates server logs`: prints the merged stream until it ends (or, with -f, until Ctrl-C).
 * A reader that goes away (`| head -n 5`) ends it quietly with 0: the pipe's EPIPE stops the
 * streams instead of crashing. A slow reader slows the reading down instead of filling memory.
 */
export async function logsCommand(options: LogsCommandOptions, context: CliContext): Promise<number> {
  const operations = createOperations(await context.deps());
  const { stdout } = context;
  const closed = new AbortController();
  const stop = eitherSignal(context.signal, closed.signal);
  const onOutputError = () => closed.abort();
  stdout.on('error', onOutputError);
  let text: LogText | undefined;
  const formatOptions = { json: options.json, timestamps: options.timestamps, color: stdout.isTTY === true && !process.env.NO_COLOR };
  try {
    const result = await operations.logs(
      {
        installDir: installDirOf(options),
        follow: options.follow,
        timestamps: options.timestamps || options.json,
        ...(options.services ? { services: options.services } : {}),
        ...(options.since === undefined ? {} : { since: options.since }),
        ...(options.tail === undefined ? {} : { tail: options.tail }),
      },
      {
        started: (info) => (text = new LogText(info.shown, formatOptions)),
        entries: (batch) => {
          if (closed.signal.aborted) return;
          text ??= new LogText([], formatOptions);
          if (!stdout.write(text.format(batch))) return drained(stdout, stop.signal);
        },
      },
      stop.signal,
    );
    if (options.json && !closed.signal.aborted) writeJsonLine(stdout, { type: 'result', ...result });
    return 0;
  } catch (error) {
    // The reader went away: stopping was the point, whatever the streams said on the way out.
    if (closed.signal.aborted) return 0;
    throw error;
  } finally {
    stop.dispose();
    stdout.off('error', onOutputError);
    // Later writes to a closed pipe must not crash the process either.
    if (closed.signal.aborted) stdout.on('error', () => {});
  }
}

/** Resolves when `stream` wants more, or when waiting no longer makes sense (closed, failed, aborted). */
function drained(stream: NodeJS.WriteStream, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
