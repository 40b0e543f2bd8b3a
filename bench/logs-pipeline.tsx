/**
 * Child process of bench/logs.bench.ts (its own process, so its peak RSS is the pipeline's alone):
 *   node --import tsx bench/logs-pipeline.tsx <screen|core> <install dir> <lines>
 * "screen": the real Logs screen (Ink, production React) on a terminal that discards its output,
 * following every service's whole log until <lines> lines have passed through the core into it.
 * "core": the same stream into a sink that only counts. Prints one JSON object.
 * The idle figure is the same process before any line flows: for "screen", the Logs screen drawn
 * and settled with its stream held back; for "core", everything loaded and the engine connected.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemorySampler, type MemorySample } from './memory-sampler.js';

/** How long the idle process sits before its RSS is read (the first frames drawn, start-up garbage settled). */
const IDLE_MS = 2_000;

const [mode, installDir, target] = process.argv.slice(2) as [string, string, string];
const wanted = Number(target);
if (!installDir || !(wanted > 0) || (mode !== 'screen' && mode !== 'core')) throw new Error('usage: logs-pipeline.tsx <screen|core> <install dir> <lines>');

const [{ connectEngine }, { createOperations }] = await Promise.all([import('../src/docker/connect.js'), import('../src/core/create-operations.js')]);
const operations = createOperations({ engine: await connectEngine(), compose: () => Promise.reject(new Error('not needed')) });
const memory = new MemorySampler();
let idle!: MemorySample;

/** A terminal of 120x40 that throws every frame away (but counts them). */
class NullTerminal extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  frames = 0;
  write = () => {
    this.frames++;
    return true;
  };
}
class IdleInput extends EventEmitter {
  isTTY = true;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

let lines = 0;
let startedAt = 0;
let finishedAt = 0;
let redraws = 0;
let reached!: () => void;
const done = new Promise<void>((resolve) => (reached = resolve));
const stop = new AbortController();
const deadline = setTimeout(() => reached(), 300_000);

const count = (size: number) => {
  if (lines === 0) startedAt = performance.now();
  lines += size;
  if (lines >= wanted && finishedAt === 0) {
    finishedAt = performance.now();
    reached();
  }
};

let frames = 0;
let inkRenders = 0;
let inkRenderMs = 0;
if (mode === 'core') {
  await sleep(IDLE_MS);
  idle = memory.sample();
  void operations.logs({ installDir, follow: true, timestamps: true }, { entries: (batch) => count(batch.length) }, stop.signal);
  await done;
} else {
  const [{ render }, { AppInfoContext }, { Logs }] = await Promise.all([import('ink'), import('../src/screens/app-info.js'), import('../src/screens/Logs.js')]);
  let flow!: () => void;
  const idleMeasured = new Promise<void>((resolve) => (flow = resolve));
  const counting = {
    ...operations,
    logs: (async (options, sink, signal) => {
      await idleMeasured;
      return operations.logs(options, { started: (info) => sink.started?.(info), entries: (batch) => (count(batch.length), sink.entries(batch)) }, signal);
    }) as typeof operations.logs,
  };
  const terminal = new NullTerminal();
  const app = render(
    <AppInfoContext.Provider value={{ hostName: 'bench', cliVersion: 'bench', stopping: false }}>
      <Logs operations={counting} installDir={installDir} tail="all" onBack={() => {}} onRedraw={() => redraws++} />
    </AppInfoContext.Provider>,
    {
      stdout: terminal as unknown as NodeJS.WriteStream,
      stdin: new IdleInput() as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      onRender: ({ renderTime }) => {
        inkRenders++;
        inkRenderMs += renderTime;
      },
    },
  );
  await sleep(IDLE_MS);
  idle = memory.sample();
  flow();
  await done;
  frames = terminal.frames;
  app.unmount();
}
memory.sample();
memory.stop();
stop.abort();
clearTimeout(deadline);
const seconds = ((finishedAt || performance.now()) - startedAt) / 1000;
console.log(
  JSON.stringify({
    mode,
    lines,
    reached: finishedAt > 0,
    seconds,
    linesPerSecond: lines / seconds,
    redraws,
    redrawsPerSecond: redraws / seconds,
    frames,
    inkRenders,
    inkRenderMs,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    idle,
    peak: memory.peak,
  }),
);
process.exit(0);
