/**
 * How far V8 lets the heap grow past what survives a full collection, while the Logs screen is open.
 *
 * By default, when a process allocates fast and collects quickly, V8 lets the old generation grow
 * to about four times what survived the last full collection before it collects again. Ink
 * allocates a few megabytes for every full-screen redraw (a style list and three Sets per cell,
 * in @alcalzone/ansi-tokenize), and under a flood of log lines part of that is promoted: the Logs
 * screen's heap sat at 100+ MB of garbage over a 25 MB live set (`npm run bench logs`, and
 * `--trace-gc`: "Mark-Compact 104.8 -> 24.8 MB"). A factor of 1.3 keeps the peak near the live
 * set at about the same lines per second. Only while the Logs screen is open: on the idle
 * dashboard the same factor cost more CPU (about four times the scavenges), so leaving the screen
 * puts V8's own choice back (0).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

/** Holds the heap's growth to HEAP_GROWING_PERCENT until the returned function puts V8's default back. */
export function limitHeapGrowth(): () => void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return () => setFlagsFromString('--heap-growing-percent=0');
}
