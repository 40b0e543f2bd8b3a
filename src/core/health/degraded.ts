import type { HealthCheckResult } from '../status/types.js';

/** A health check that answered "up, with a warning", and what its answer named as the cause. */
export interface DegradedCheck {
  name: string;
  reasons: string[];
}

export function degradedChecks(checks: readonly HealthCheckResult[]): DegradedCheck[] {
  return checks.filter((check) => check.ok && check.degraded).map((check) => ({ name: check.name, reasons: check.reasons ?? [] }));
}

/** "api answers degraded (providers.openai unhealthy, apps.images degraded)"; one clause per check. */
export function degradedText(degraded: readonly DegradedCheck[]): string {
  return degraded.map((check) => `${check.name} answers degraded${check.reasons.length > 0 ? ` (${check.reasons.join(', ')})` : ''}`).join('; ');
}

/** How a health step ends: done when everything is healthy, a warning naming the degraded checks otherwise. */
export function healthStepOutcome(snapshot: { services: unknown[]; checks: HealthCheckResult[] }, readyText: string): { detail: string; outcome: 'done' | 'warning' } {
  const degraded = degradedChecks(snapshot.checks);
  if (degraded.length === 0) return { detail: readyText, outcome: 'done' };
  return { detail: `${readyText}, but ${degradedText(degraded)}`, outcome: 'warning' };
}
