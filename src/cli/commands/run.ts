import { cancelRun, pruneRuns, readGitToken, resolveRunSettings, startRun, superviseInBackground, type RunEngine, type RunInfo, type RunProgress } from '../../core/runs/index.js';
import { connectRunEngine } from '../../docker/run-containers.js';
import type { CliContext } from '../context.js';
import { color, humanBytes } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { followRun } from '../runs/follow-run.js';
import { runDuration, settingsLines } from '../runs/run-text.js';
import type { RunOptions } from './run.command.js';

/** Exit code: the command's; 124 when it timed out; 130 when it was cancelled (Ctrl-C). */
export async function runCommand(options: RunOptions, context: CliContext): Promise<number> {
  const resolved = await resolveRunSettings(options, process.cwd());
  const say = (text: string) => options.json || context.stderr.write(`${text}\n`);
  if (options.json) writeJsonLine(context.stdout, { type: 'settings', request: { ...resolved.request, env: Object.keys(resolved.request.env) }, sources: resolved.sources });
  else say(settingsLines(resolved));
  const token = await readGitToken();
  const engine = await connectRunEngine();
  const run = await startRun(engine, resolved.request, { ...(token ? { token } : {}), signal: context.signal, onProgress: progressReporter(options.json, context) });
  superviseInBackground(run.id);
  void pruneRuns(engine).catch(() => undefined);
  if (options.detach) {
    if (options.json) writeJsonLine(context.stdout, { type: 'result', run });
    else {
      context.stdout.write(`${run.id}\n`);
      say(color.dim(`  started; follow it with: openmates runs logs ${run.id} -f`));
    }
    return 0;
  }
  say(color.dim(`  run ${run.id} started; Ctrl-C cancels it\n`));
  const ended = await followUntilEnd(engine, run, options, context);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', run: ended });
  else say(endLine(ended));
  return ended.exitCode ?? 1;
}

async function followUntilEnd(engine: RunEngine, run: RunInfo, options: RunOptions, context: CliContext): Promise<RunInfo> {
  const following = new AbortController();
  const cancel = () => following.abort();
  context.signal.addEventListener('abort', cancel, { once: true });
  try {
    const ended = await followRun(engine, run.id, { stdout: context.stdout, stderr: context.stderr, json: options.json }, following.signal);
    if (!context.signal.aborted) return ended;
  } finally {
    context.signal.removeEventListener('abort', cancel);
  }
  if (!options.json) context.stderr.write(`\n${color.yellow('!')} Cancelling run ${run.id}…\n`);
  return cancelRun(engine, run.id);
}

function endLine(run: RunInfo): string {
  const took = runDuration(run.durationMs);
  switch (run.status) {
    case 'succeeded':
      return `${color.green('✓')} run ${run.id} succeeded in ${took}`;
    case 'timed out':
      return `${color.red('✗')} run ${run.id} timed out after ${took}: it was killed at its deadline (exit 124)`;
    case 'cancelled':
      return `${color.yellow('!')} run ${run.id} was cancelled after ${took}; its output stays until \`openmates runs rm ${run.id}\``;
    default:
      return `${color.red('✗')} run ${run.id} failed with exit code ${run.exitCode} after ${took}`;
  }
}

function progressReporter(json: boolean, context: CliContext): (progress: RunProgress) => void {
  let lastPull = 0;
  return (progress) => {
    if (json) return writeJsonLine(context.stdout, { type: 'progress', ...progress });
    if (progress.step === 'pull') {
      if (Date.now() - lastPull < 1000) return;
      lastPull = Date.now();
      const amount = progress.bytesTotal > 0 ? ` ${humanBytes(progress.bytesDone)} of ${humanBytes(progress.bytesTotal)}` : '';
      context.stderr.write(color.dim(`  pulling ${progress.image}…${amount}\n`));
      return;
    }
    const words = { check: 'checking the repository, branch and image…', clone: 'cloning…', copy: 'copying the repository into the container…', start: 'starting…' } as const;
    context.stderr.write(color.dim(`  ${words[progress.step]}\n`));
  };
}
