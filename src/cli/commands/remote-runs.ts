import { resolveRunSettings } from '../../core/runs/run-settings.js';
import type { RemoteServer, RunInfo } from '../../remote/sdk/index.js';
import type { CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { withRemoteServer } from '../remote/with-server.js';
import { runDetails, runsTable, settingsLines } from '../runs/run-text.js';
import type { RemoteRunsOptions } from './remote-runs.command.js';

/** `openmates remote run` / `remote runs ...`: the same runs and texts as on the server itself. */
export async function remoteRunsCommand(options: RemoteRunsOptions, context: CliContext): Promise<number> {
  // Ctrl-C during a followed run cancels the run first; only then is the connection closed.
  const connection = new AbortController();
  return withRemoteServer(options, { ...context, signal: connection.signal }, async (server) => {
    const result = (value: unknown) => options.json && writeJsonLine(context.stdout, { type: 'result', ...(value as object) });
    switch (options.action) {
      case 'list': {
        const runs = await server.runs.list({ all: options.all, signal: context.signal });
        if (options.json) result({ runs });
        else context.stdout.write(runs.length === 0 ? 'No runs on the server yet.\n' : `${runsTable(runs)}\n`);
        return 0;
      }
      case 'status': {
        const run = await server.runs.status(options.id, { signal: context.signal });
        if (options.json) result({ run });
        else context.stdout.write(`${runDetails(run)}\n`);
        return 0;
      }
      case 'cancel': {
        const run = await server.runs.cancel(options.id, { signal: context.signal });
        if (options.json) result({ run });
        else context.stdout.write(run.status === 'cancelled' ? `Run ${run.id} cancelled.\n` : `Run ${run.id} had already ended (${run.status}).\n`);
        return 0;
      }
      case 'logs': {
        const run = await follow(server, options.id, options.follow, options.json, context, context.signal);
        if (options.json) result({ run });
        return 0;
      }
      case 'run': {
        const resolved = await resolveRunSettings(options, process.cwd());
        if (!options.json) context.stderr.write(`${settingsLines(resolved)}\n`);
        const run = await server.runs.create({ ...resolved.request, signal: context.signal, onProgress: (progress) => options.json && writeJsonLine(context.stdout, { type: 'progress', ...(progress as object) }) });
        if (options.detach) {
          if (options.json) result({ run });
          else context.stdout.write(`${run.id}\n`);
          return 0;
        }
        if (!options.json) context.stderr.write(color.dim(`  run ${run.id} started on the server; Ctrl-C cancels it\n\n`));
        const following = new AbortController();
        const onAbort = () => following.abort();
        context.signal.addEventListener('abort', onAbort, { once: true });
        let ended: RunInfo;
        try {
          ended = await follow(server, run.id, true, options.json, context, following.signal);
        } finally {
          context.signal.removeEventListener('abort', onAbort);
        }
        if (context.signal.aborted) ended = await server.runs.cancel(run.id);
        if (options.json) result({ run: ended });
        else context.stderr.write(`\n  run ${ended.id} ${ended.status} (exit ${ended.exitCode ?? '-'})\n`);
        return ended.exitCode ?? 1;
      }
    }
  }).finally(() => connection.abort());
}

async function follow(server: RemoteServer, id: string, followIt: boolean, json: boolean, context: CliContext, signal: AbortSignal): Promise<RunInfo> {
  const stream = server.runs.logs(id, { follow: followIt, signal });
  try {
    for await (const output of stream) {
      if (json) writeJsonLine(context.stdout, { type: 'output', ...output });
      else (output.stream === 'stdout' ? context.stdout : context.stderr).write(output.text);
    }
    return await stream.result;
  } catch (error) {
    if (signal.aborted) return server.runs.status(id);
    throw error;
  }
}
