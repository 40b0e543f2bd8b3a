/** Host facts for remote access: CPU, memory, disks, listening ports, containers, scripts, uptime; cached. */
export { createHostFacts, DEFAULT_MAX_AGE_MS, type HostFactsOptions, type HostFactsSource } from './host-facts.js';
export type * from './types.js';
