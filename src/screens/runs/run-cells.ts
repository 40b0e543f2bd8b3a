import type { RunInfo, RunStatus } from '../../core/runs/index.js';
import type { Tone } from '../components/theme.js';

/** What a run's row shows, as text: the same figures as `openmates runs`. */
export function runDurationText(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

export function runCommandText(command: string[]): string {
  return command.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function runStartedText(run: RunInfo): string {
  return (run.startedAt ?? run.createdAt).replace('T', ' ').replace(/\.\d+Z$/, '');
}

export function runStatusTone(status: RunStatus): Tone {
  switch (status) {
    case 'succeeded':
      return 'ok';
    case 'failed':
    case 'timed out':
      return 'error';
    case 'cancelled':
      return 'warning';
    case 'running':
      return 'accent';
    case 'created':
      return 'neutral';
  }
}
