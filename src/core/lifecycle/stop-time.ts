import type { ComposeFileFacts } from '../compose-file.js';

/**
 * The longest Compose may take to stop the running services: it stops dependents before what they
 * depend on, giving each up to its stop_grace_period, so the worst case is the slowest chain.
 */
export function longestStopSeconds(facts: Pick<ComposeFileFacts, 'stopGraceSeconds' | 'dependsOn'>, running: readonly string[]): number {
  const isRunning = new Set(running);
  const memo = new Map<string, number>();
  const chain = (service: string, seen: Set<string>): number => {
    const known = memo.get(service);
    if (known !== undefined) return known;
    if (seen.has(service)) return 0; // a cycle: Compose refuses it anyway
    seen.add(service);
    const below = Math.max(0, ...(facts.dependsOn[service] ?? []).filter((dependency) => isRunning.has(dependency)).map((dependency) => chain(dependency, seen)));
    seen.delete(service);
    const total = (facts.stopGraceSeconds[service] ?? 0) + below;
    memo.set(service, total);
    return total;
  };
  return Math.max(0, ...running.map((service) => chain(service, new Set())));
}
