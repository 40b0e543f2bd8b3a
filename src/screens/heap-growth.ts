/**
 * How far V8 lets the heap grow past what survives a full collection, for the full-screen app.
 *
 * By default, when a process allocates fast and collects quickly, V8 lets the old generation grow
 * to about four times what survived the last full collection before it collects again. Ink
 * allocates a few megabytes for every full-screen redraw (a style list and three Sets per cell,
 * in @alcalzone/ansi-tokenize), and under a flood of log lines part of that is promoted: the Logs
 * screen's heap sat at 100+ MB of garbage over a 25 MB live set (`npm run bench logs`, and
 * `--trace-gc`: "Mark-Compact 104.8 -> 24.8 MB"). A factor of 1.3 keeps the peak near the live
 * set at about the same lines per second; an app that idles allocates too little for the factor
 * to matter. Only the app sets it: the one-shot commands exit long before it would.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
