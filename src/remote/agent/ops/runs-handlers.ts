import { isAbsolute } from 'node:path';
import { OpenmatesError } from '../../../core/errors.js';
import { RUN_DEFAULTS, cancelRun, findRun, listRuns, pruneRuns, readGitToken, runOutput, recentRuns, startRun, superviseInBackground } from '../../../core/runs/index.js';
import type { OpArgs } from '../../protocol/ops.js';
import type { AgentServices } from '../services.js';
import type { HandlerContext } from './handler-types.js';


/** runs.*: isolated runs (src/core/runs), the same ones `openmates runs` shows on the server. */
export function runsHandlers(services: Pick<AgentServices, 'runs' | 'files'>) {
  return {
    async 'runs.create'(args: OpArgs<'runs.create'>, context: HandlerContext) {
      const engine = await services.runs();
      const repo = await reachableRepo(services, args.repo);
      const token = await readGitToken();
      const run = await startRun(
        engine,
        {
          command: args.command,
          repo,
          branch: args.branch,
          image: args.image,
          env: args.env ?? {},
          timeoutSeconds: args.timeoutSeconds ?? RUN_DEFAULTS.timeoutSeconds,
          cpus: args.cpus ?? RUN_DEFAULTS.cpus,
          memoryBytes: args.memoryBytes ?? RUN_DEFAULTS.memoryBytes,
          network: args.network ?? RUN_DEFAULTS.network,
        },
        { ...(token ? { token } : {}), signal: context.signal, onProgress: (progress) => context.emit({ type: 'progress', ...progress }) },
      );
      superviseInBackground(run.id);
      void pruneRuns(engine).catch(() => undefined);
      return run;
    },
    async 'runs.list'(args: OpArgs<'runs.list'>) {
      const runs = await listRuns(await services.runs());
      return { runs: args.all ? runs : recentRuns(runs) };
    },
    'runs.status': async (args: OpArgs<'runs.status'>) => (await findRun(await services.runs(), args.id)).run,
    async 'runs.logs'(args: OpArgs<'runs.logs'>, context: HandlerContext) {
      const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
      return runOutput(await services.runs(), args.id, { follow: args.follow === true, signal: context.signal }, (stream, bytes) => {
        const text = decoders[stream].decode(bytes, { stream: true });
        if (text) context.emit({ stream, text });
      });
    },
    'runs.cancel': async (args: OpArgs<'runs.cancel'>) => cancelRun(await services.runs(), args.id),
  };
}

/** A URL as it is; a local repository (a path or file://) only inside the shared folders. */
async function reachableRepo(services: Pick<AgentServices, 'files'>, repo: string): Promise<string> {
  const local = repo.startsWith('file://') ? decodeURIComponent(new URL(repo).pathname) : isAbsolute(repo) || !/^[a-z][a-z0-9+.-]*:\/\/|^[^/]+@[^:]+:/i.test(repo) ? repo : undefined;
  if (local === undefined) return repo;
  try {
    return await services.files.resolve(local);
  } catch (error) {
    if ((error as OpenmatesError).kind !== 'refused') throw error;
    throw new OpenmatesError('refused', `The repository ${local} is not inside the shared folders: a device may run only repositories it could read.`, 'pass a URL, or a repository inside the shared folders');
  }
}
