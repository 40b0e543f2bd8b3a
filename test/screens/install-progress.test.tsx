import { describe, expect, it } from 'vitest';
import type { OperationEvent } from '../../src/core/events.js';
import { emptyProgress, foldEvent, foldEvents, LOG_TAIL_LIMIT, pullFraction, pullTotals, runningStep } from '../../src/screens/install-progress.js';

const pull = (image: string, bytesDone: number, bytesTotal: number, layersDone: number, layersTotal: number, status: 'pulling' | 'done' | 'up-to-date' = 'pulling'): OperationEvent => ({
  type: 'pull-progress',
  image,
  bytesDone,
  bytesTotal,
  layersDone,
  layersTotal,
  status,
});

describe('install progress reducer', () => {
  it('tracks steps from started to done, skipped, warning and failed, in the order they started', () => {
    const progress = foldEvents(emptyProgress, [
      { type: 'step-started', step: 'files', title: 'Writing the install directory' },
      { type: 'step-started', step: 'networks', title: 'Creating networks' },
      { type: 'step-finished', step: 'files', outcome: 'done', detail: 'Wrote .env' },
      { type: 'step-finished', step: 'networks', outcome: 'skipped', detail: 'Networks already exist' },
      { type: 'step-started', step: 'pull', title: 'Pulling 2 images' },
      { type: 'step-finished', step: 'pull', outcome: 'warning', detail: 'Used a local copy of api' },
      { type: 'step-started', step: 'start', title: 'Starting the stack' },
      { type: 'step-failed', step: 'start', message: 'Compose could not start the stack' },
    ]);
    expect(progress.steps).toEqual([
      { id: 'files', title: 'Writing the install directory', state: 'done', detail: 'Wrote .env' },
      { id: 'networks', title: 'Creating networks', state: 'skipped', detail: 'Networks already exist' },
      { id: 'pull', title: 'Pulling 2 images', state: 'warning', detail: 'Used a local copy of api' },
      { id: 'start', title: 'Starting the stack', state: 'failed', detail: 'Compose could not start the stack' },
    ]);
  });

  it('knows the running step, and a restarted step runs again without its old detail', () => {
    let progress = foldEvents(emptyProgress, [
      { type: 'step-started', step: 'health', title: 'Waiting' },
      { type: 'step-failed', step: 'health', message: 'timed out' },
    ]);
    expect(runningStep(progress)).toBeUndefined();
    progress = foldEvent(progress, { type: 'step-started', step: 'health', title: 'Waiting again' });
    expect(runningStep(progress)).toEqual({ id: 'health', title: 'Waiting again', state: 'running' });
    expect(progress.steps).toHaveLength(1);
  });

  it('keeps one row per image with its latest numbers, and adds them up', () => {
    const events: OperationEvent[] = [pull('api', 0, 0, 0, 5), pull('web', 0, 30, 0, 2)];
    for (let bytes = 1; bytes <= 500; bytes += 1) events.push(pull('api', bytes, 1000, 1, 5));
    events.push(pull('web', 30, 30, 2, 2, 'done'));
    const progress = foldEvents(emptyProgress, events);
    expect(progress.pulls.map((p) => [p.image, p.bytesDone, p.status])).toEqual([
      ['api', 500, 'pulling'],
      ['web', 30, 'done'],
    ]);
    expect(pullTotals(progress.pulls)).toEqual({ bytesDone: 530, bytesTotal: 1030, layersDone: 3, layersTotal: 7, imagesDone: 1, imagesTotal: 2 });
  });

  it('measures a pull by bytes, by layers before sizes are known, and as complete once done', () => {
    expect(pullFraction({ bytesDone: 25, bytesTotal: 100, layersDone: 0, layersTotal: 4 })).toBe(0.25);
    expect(pullFraction({ bytesDone: 0, bytesTotal: 0, layersDone: 1, layersTotal: 4 })).toBe(0.25);
    expect(pullFraction({ bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0 })).toBe(0);
    expect(pullFraction({ bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0, status: 'up-to-date' })).toBe(1);
  });

  it('keeps the latest health state per service, in first-seen order', () => {
    const progress = foldEvents(emptyProgress, [
      { type: 'health', service: 'api', state: 'starting' },
      { type: 'health', service: 'worker', state: 'starting' },
      { type: 'health', service: 'api', state: 'healthy' },
      { type: 'health', service: 'worker', state: 'unhealthy', detail: 'exit code 1' },
    ]);
    expect(progress.services).toEqual([
      { service: 'api', state: 'healthy' },
      { service: 'worker', state: 'unhealthy', detail: 'exit code 1' },
    ]);
  });

  it('collects checks, warnings without repeats, the last info, and a bounded log tail', () => {
    const events: OperationEvent[] = [
      { type: 'check', name: 'Docker engine', ok: true, detail: '27.1' },
      { type: 'check', name: 'Port 5173', ok: false, detail: 'in use' },
      { type: 'warning', message: 'Memory is low.', hint: 'Add memory.' },
      { type: 'warning', message: 'Memory is low.', hint: 'Add memory.' },
      { type: 'info', message: 'first' },
      { type: 'info', message: 'second' },
    ];
    for (let line = 1; line <= LOG_TAIL_LIMIT + 10; line += 1) events.push({ type: 'log-line', service: 'api', line: `line ${line}` });
    const progress = foldEvents(emptyProgress, events);
    expect(progress.checks).toEqual([
      { name: 'Docker engine', ok: true, detail: '27.1' },
      { name: 'Port 5173', ok: false, detail: 'in use' },
    ]);
    expect(progress.warnings).toEqual([{ message: 'Memory is low.', hint: 'Add memory.' }]);
    expect(progress.lastInfo).toBe('second');
    expect(progress.logTail).toHaveLength(LOG_TAIL_LIMIT);
    expect(progress.logTail.at(0)?.line).toBe('line 11');
    expect(progress.logTail.at(-1)?.line).toBe(`line ${LOG_TAIL_LIMIT + 10}`);
  });

  it('does not change its input (the screen relies on new objects for re-renders)', () => {
    const before = foldEvent(emptyProgress, pull('api', 1, 10, 0, 1));
    const snapshot = JSON.stringify(before);
    const after = foldEvent(before, pull('api', 5, 10, 0, 1));
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).not.toBe(before);
    expect(after.steps).toBe(before.steps); // untouched lists are shared, not copied
    expect(emptyProgress.pulls).toHaveLength(0);
  });
});
