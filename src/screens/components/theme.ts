import type { ServiceHealth } from '../../core/events.js';

/** One set of symbols and colours for every screen, so states look the same everywhere. */
export const symbols = {
  ok: '✓',
  warning: '!',
  error: '✗',
  pending: '·',
  skipped: '–',
  pointer: '❯',
  badge: '●',
  hint: '→',
  detail: '│',
} as const;

export type Tone = 'ok' | 'warning' | 'error' | 'accent' | 'neutral';

/** Colours are kept to four: green ok, yellow warning, red error, cyan for "this is active". */
export const toneColor: Record<Tone, string | undefined> = {
  ok: 'green',
  warning: 'yellow',
  error: 'red',
  accent: 'cyan',
  neutral: undefined,
};

export function healthTone(state: ServiceHealth): Tone {
  switch (state) {
    case 'healthy':
    case 'running':
    case 'completed':
      return 'ok';
    case 'starting':
    case 'restarting':
      return 'accent';
    case 'unhealthy':
    case 'exited':
    case 'missing':
      return 'error';
  }
}

/** A service counts as fine when it is healthy, running (no health check) or a finished one-shot job. */
export function isServiceOk(state: ServiceHealth): boolean {
  return healthTone(state) === 'ok';
}
