import type { RunInfo } from '../../core/runs/index.js';
import type { ResolvedRun } from '../../core/runs/run-settings.js';
import { color, table } from '../format.js';

/** "12.3s", "4m 05s" */
export function runDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

export function commandText(command: string[]): string {
  return command.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function statusText(run: RunInfo): string {
  switch (run.status) {
    case 'succeeded':
      return color.green(run.status);
    case 'failed':
    case 'timed out':
      return color.red(run.status);
    case 'cancelled':
      return color.yellow(run.status);
    default:
      return run.status;
  }
}

export function runsTable(runs: RunInfo[]): string {
  const rows = [['ID', 'STATUS', 'EXIT', 'STARTED (UTC)', 'DURATION', 'REPO@BRANCH', 'COMMAND']];
  for (const run of runs) {
    const started = (run.startedAt ?? run.createdAt).replace('T', ' ').replace(/\.\d+Z$/, '');
    rows.push([run.id, run.status, run.exitCode === undefined ? '-' : String(run.exitCode), started, runDuration(run.durationMs), `${run.repo}@${run.branch}`, commandText(run.command)]);
  }
  // Colour after padding, so the columns stay aligned.
  return table(rows)
    .split('\n')
    .map((line, index) => (index === 0 ? color.dim(line) : line.replace(runs[index - 1]!.status, statusText(runs[index - 1]!))))
    .join('\n');
}

export function runDetails(run: RunInfo): string {
  const lines = [
    ['Run', run.id],
    ['Status', statusText(run)],
    ['Exit code', run.exitCode === undefined ? '-' : String(run.exitCode)],
    ['Command', commandText(run.command)],
    ['Repository', `${run.repo} @ ${run.branch}`],
    ['Image', run.image],
    ['Network', run.network],
    ['Variables', run.envNames.join(', ') || '-'],
    ['Created', run.createdAt],
    ['Started', run.startedAt ?? '-'],
    ['Finished', run.finishedAt ?? '-'],
    ['Duration', runDuration(run.durationMs)],
    ['Deadline', run.deadline],
  ];
  return lines.map(([label, value]) => `  ${color.dim(label!.padEnd(11))} ${value}`).join('\n');
}

const FROM: Record<string, string> = { flag: 'from the command line', default: 'the default', 'git remote': "from this folder's git remote", 'git branch': "from this folder's branch", 'this folder': 'this folder (it has no remote)' };

/** The first lines of `run`: each setting and where it came from. */
export function settingsLines(resolved: ResolvedRun): string {
  const from = (source: string) => color.dim(`(${FROM[source] ?? `from ${source}`})`);
  const { request, sources } = resolved;
  return [
    `  repo:    ${request.repo} ${from(sources.repo)}`,
    `  branch:  ${request.branch} ${from(sources.branch)}`,
    `  image:   ${request.image} ${from(sources.image)}`,
    `  timeout: ${request.timeoutSeconds}s ${from(sources.timeout)}`,
    `  limits:  ${request.cpus} CPU, ${Math.round(request.memoryBytes / 1024 ** 2)} MiB, network ${request.network}${Object.keys(request.env).length ? `, env ${Object.keys(request.env).join(',')}` : ''}`,
  ].join('\n');
}
