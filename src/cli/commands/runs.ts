import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { OpenmatesError } from '../../core/errors.js';
import { RUN_FILE, cancelRun, findRun, isFinished, listRuns, removeFinished, removeRun, runFileText, superviseRun, recentRuns, type RunFile } from '../../core/runs/index.js';
import { gitOrigin } from '../../core/runs/git-source.js';
import { connectRunEngine } from '../../docker/run-containers.js';
import type { CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { followRun } from '../runs/follow-run.js';
import { runDetails, runsTable } from '../runs/run-text.js';
import type { RunIdOptions, RunsInitOptions, RunsListOptions, RunsRemoveOptions } from './runs.command.js';


export async function runsListCommand(options: RunsListOptions, context: CliContext): Promise<number> {
  const runs = await listRuns(await connectRunEngine());
  const shown = options.all ? runs : recentRuns(runs);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', runs: shown });
  else if (shown.length === 0) context.stdout.write('No runs yet. Start one with: openmates run --image IMAGE -- COMMAND\n');
  else context.stdout.write(`${runsTable(shown)}\n${shown.length < runs.length ? color.dim(`\n  ${runs.length - shown.length} older runs: openmates runs --all\n`) : ''}`);
  return 0;
}

export async function runsIdCommand(word: 'status' | 'logs' | 'cancel' | 'supervise', options: RunIdOptions, context: CliContext): Promise<number> {
  const engine = await connectRunEngine();
  switch (word) {
    case 'status': {
      const { run } = await findRun(engine, options.id);
      if (options.json) writeJsonLine(context.stdout, { type: 'result', run });
      else context.stdout.write(`${runDetails(run)}\n`);
      return 0;
    }
    case 'logs': {
      const ended = await followRun(engine, options.id, { stdout: context.stdout, stderr: context.stderr, json: options.json, follow: options.follow }, context.signal);
      if (options.json) writeJsonLine(context.stdout, { type: 'result', run: ended });
      else if (options.follow && isFinished(ended)) context.stderr.write(color.dim(`\n  run ${ended.id} ${ended.status} (exit ${ended.exitCode})\n`));
      return 0;
    }
    case 'cancel': {
      const run = await cancelRun(engine, options.id);
      if (options.json) writeJsonLine(context.stdout, { type: 'result', run });
      else context.stdout.write(run.status === 'cancelled' ? `Run ${run.id} cancelled; its output stays until \`openmates runs rm ${run.id}\`.\n` : `Run ${run.id} had already ended (${run.status}); nothing to cancel.\n`);
      return 0;
    }
    case 'supervise': {
      const run = await superviseRun(engine, options.id);
      if (options.json) writeJsonLine(context.stdout, { type: 'result', run });
      return 0;
    }
  }
}

export async function runsRemoveCommand(options: RunsRemoveOptions, context: CliContext): Promise<number> {
  const engine = await connectRunEngine();
  const removed = options.finished ? await removeFinished(engine) : [await removeRun(engine, options.id!)];
  if (options.json) writeJsonLine(context.stdout, { type: 'result', removed: removed.map((run) => run.id) });
  else context.stdout.write(removed.length === 0 ? 'No finished runs to remove.\n' : `Removed ${removed.length === 1 ? `run ${removed[0]!.id}` : `${removed.length} runs`}.\n`);
  return 0;
}

export async function runsInitCommand(options: RunsInitOptions, context: CliContext): Promise<number> {
  const dir = process.cwd();
  if (existsSync(join(dir, RUN_FILE))) throw new OpenmatesError('usage', `${join(dir, RUN_FILE)} exists already; nothing was written.`, 'edit it, or remove it and run `openmates runs init` again');
  const git = await gitOrigin(dir);
  const settings: RunFile = {
    ...(options.repo ?? git.repo ? { repo: options.repo ?? git.repo } : {}),
    ...(options.branch ?? git.branch ? { branch: options.branch ?? git.branch } : {}),
  };
  let image = options.image;
  const interactive = !options.yes && process.stdin.isTTY === true;
  if (image === undefined && !interactive) throw new OpenmatesError('needs-answer', 'Which image should runs use? This needs an answer and there is no terminal to ask.', 'pass --image IMAGE (e.g. --image node:20)');
  if (interactive) {
    const readline = createInterface({ input: process.stdin, output: process.stderr });
    try {
      image ??= (await readline.question('Image the runs use (e.g. node:20, python:3.12): ', { signal: context.signal })).trim() || undefined;
      if (!image) throw new OpenmatesError('usage', 'No image given; nothing was written.');
      const preview = runFileText({ ...settings, image, ...(options.timeout ? { timeout: options.timeout } : {}) });
      context.stderr.write(`\n${preview}\n`);
      const answer = (await readline.question(`Write this to ${RUN_FILE}? [Y/n] `, { signal: context.signal })).trim().toLowerCase();
      if (answer !== '' && answer !== 'y' && answer !== 'yes') {
        context.stderr.write('Nothing was written.\n');
        return 0;
      }
    } catch (error) {
      if (context.signal.aborted) throw new OpenmatesError('interrupted', 'Stopped at the question; nothing was written.');
      throw error;
    } finally {
      readline.close();
    }
  }
  const file: RunFile = { ...settings, image: image!, ...(options.timeout ? { timeout: options.timeout } : {}) };
  const path = join(dir, RUN_FILE);
  await writeFile(path, runFileText(file), { flag: 'wx' });
  if (options.json) writeJsonLine(context.stdout, { type: 'result', path, settings: file });
  else context.stdout.write(`Wrote ${path}. Commit it; \`openmates run -- COMMAND\` uses it from now on.\n`);
  return 0;
}
