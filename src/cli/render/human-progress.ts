import { describeEvent } from '../../core/event-text.js';
import type { EventSink, OperationEvent } from '../../core/events.js';
import { color, humanBytes } from '../format.js';

type PullEvent = Extract<OperationEvent, { type: 'pull-progress' }>;

/**
 * Human progress on stderr. On a terminal, pull progress is one line redrawn in place
 * (total bytes and layers over all images); elsewhere only each image's completion is printed.
 */
export function humanProgressSink(stream: NodeJS.WriteStream): EventSink {
  const live = stream.isTTY === true;
  const pulls = new Map<string, PullEvent>();
  let progressLineShown = false;
  const clearProgressLine = () => {
    if (progressLineShown) stream.write('\r\x1b[2K');
    progressLineShown = false;
  };
  const print = (line: string) => {
    clearProgressLine();
    stream.write(`${line}\n`);
  };
  return (event) => {
    if (event.type === 'pull-progress') {
      pulls.set(event.image, event);
      if (event.status !== 'pulling') {
        print(`  ${color.green('✓')} ${event.image} ${color.dim(event.status === 'done' ? humanBytes(event.bytesTotal) : 'up to date')}`);
      } else if (live) {
        clearProgressLine();
        stream.write(pullSummary([...pulls.values()]));
        progressLineShown = true;
      }
      return;
    }
    if (event.type === 'step-finished' && event.step === 'pull') pulls.clear();
    // The command's final error report says it in full right after; saying it twice is noise.
    if (event.type === 'step-failed') return clearProgressLine();
    const text = describeEvent(event);
    if (text === undefined) return;
    switch (event.type) {
      case 'step-started':
        return print(color.bold(text));
      case 'warning':
        return print(color.yellow(text));
      case 'step-finished':
        return print(event.outcome === 'warning' ? color.yellow(text) : color.green(text));
      default:
        return print(text);
    }
  };
}

function pullSummary(pulls: PullEvent[]): string {
  const done = pulls.filter((pull) => pull.status !== 'pulling').length;
  const sum = (pick: (pull: PullEvent) => number) => pulls.reduce((total, pull) => total + pick(pull), 0);
  const bytesTotal = sum((p) => p.bytesTotal);
  const percent = bytesTotal > 0 ? Math.floor((sum((p) => p.bytesDone) / bytesTotal) * 100) : 0;
  return `  ${color.dim('…')} ${done}/${pulls.length} images · ${humanBytes(sum((p) => p.bytesDone))} / ${humanBytes(bytesTotal)} (${percent}%) · ${sum((p) => p.layersDone)}/${sum((p) => p.layersTotal)} layers`;
}
