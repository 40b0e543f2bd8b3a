import type { DegradedCheck } from '../../core/health/degraded.js';
import { color } from '../format.js';

/** "healthy", or "up, degraded" when a health check answered degraded. */
export function upWord(degraded: readonly DegradedCheck[]): string {
  return degraded.length > 0 ? 'up, degraded' : 'healthy';
}

/** One warning line per degraded check with the reasons its answer gives, and what that means. */
export function degradedLines(degraded: readonly DegradedCheck[]): string[] {
  if (degraded.length === 0) return [];
  return [
    ...degraded.map((check) => `${color.yellow('!')} ${check.name} answers degraded${check.reasons.length > 0 ? `: ${check.reasons.join(', ')}` : ''}`),
    color.dim('  It runs; what is named there does not work until it is fixed (often a provider or app without its API key).'),
  ];
}
