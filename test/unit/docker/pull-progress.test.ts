import { describe, expect, it } from 'vitest';
import {
  aggregatePullProgress,
  initialPullState,
  nextPullState,
  progressOf,
  pullEventError,
  pullStateOf,
  type PullEvent,
} from '../../../src/docker/pull-progress.js';

/**
 * Recorded from Docker 20.10 pulling a three-layer image (one base layer present) from a
 * local registry, plus a second layer stream of Downloading events and a registry failure.
 */
const pullFromRegistry: PullEvent[] = [
  { status: 'Pulling from probe', id: 'v1' },
  { status: 'Already exists', progressDetail: {}, id: '5128d71e43c5' },
  { status: 'Already exists', progressDetail: {}, id: '7a60f7d363e4' },
  { status: 'Pulling fs layer', progressDetail: {}, id: '48190109b71a' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'd494dcf9bb52' },
  { status: 'Waiting', progressDetail: {}, id: 'd494dcf9bb52' },
  { status: 'Downloading', progressDetail: {}, id: '48190109b71a' },
  { status: 'Downloading', progressDetail: { current: 32768, total: 3001127 }, progress: '[>   ]  32.77kB/3.001MB', id: '48190109b71a' },
  { status: 'Downloading', progressDetail: { current: 1500000, total: 3001127 }, progress: '[=> ]  1.5MB/3.001MB', id: '48190109b71a' },
  { status: 'Downloading', progressDetail: { current: 118, total: 118 }, progress: '[==>]  118B/118B', id: 'd494dcf9bb52' },
  { status: 'Verifying Checksum', progressDetail: {}, id: 'd494dcf9bb52' },
  { status: 'Download complete', progressDetail: {}, id: 'd494dcf9bb52' },
  { status: 'Downloading', progressDetail: { current: 3001127, total: 3001127 }, id: '48190109b71a' },
  { status: 'Verifying Checksum', progressDetail: {}, id: '48190109b71a' },
  { status: 'Download complete', progressDetail: {}, id: '48190109b71a' },
  { status: 'Extracting', progressDetail: { current: 32768, total: 3001127 }, id: '48190109b71a' },
  { status: 'Extracting', progressDetail: { current: 3001127, total: 3001127 }, id: '48190109b71a' },
  { status: 'Pull complete', progressDetail: {}, id: '48190109b71a' },
  { status: 'Extracting', progressDetail: { current: 118, total: 118 }, id: 'd494dcf9bb52' },
  { status: 'Pull complete', progressDetail: {}, id: 'd494dcf9bb52' },
  { status: 'Digest: sha256:7cbf5d2890392089d4aeafeab94c9ae25d0f857b8d743917876c5fb405c61bf2' },
  { status: 'Status: Downloaded newer image for 127.0.0.1:5077/probe:v1' },
];

const totalBytes = 3001127 + 118;

describe('pull progress', () => {
  it('starts at nothing', () => {
    expect(progressOf(initialPullState)).toEqual({ bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0 });
  });

  it('does not count the "Pulling from" line (its id is the tag) as a layer', () => {
    expect(aggregatePullProgress(pullFromRegistry.slice(0, 1)).layersTotal).toBe(0);
  });

  it('counts layers that already exist as done, with no bytes', () => {
    expect(aggregatePullProgress(pullFromRegistry.slice(0, 3))).toEqual({ bytesDone: 0, bytesTotal: 0, layersDone: 2, layersTotal: 2 });
  });

  it('adds up bytes across layers while downloading', () => {
    expect(aggregatePullProgress(pullFromRegistry.slice(0, 9))).toEqual({
      bytesDone: 1500000,
      bytesTotal: 3001127,
      layersDone: 2,
      layersTotal: 4,
    });
    expect(aggregatePullProgress(pullFromRegistry.slice(0, 12))).toEqual({
      bytesDone: 1500000 + 118,
      bytesTotal: totalBytes,
      layersDone: 2,
      layersTotal: 4,
    });
  });

  it('ends with every byte and every layer done', () => {
    const state = pullStateOf(pullFromRegistry);
    expect(progressOf(state)).toEqual({ bytesDone: totalBytes, bytesTotal: totalBytes, layersDone: 4, layersTotal: 4 });
    expect(state.summary).toBe('Status: Downloaded newer image for 127.0.0.1:5077/probe:v1');
    expect(state.error).toBeUndefined();
  });

  it('never reports more bytes done than total, and never goes backwards while downloading', () => {
    let state = initialPullState;
    let last = 0;
    for (const event of pullFromRegistry) {
      state = nextPullState(state, event);
      const { bytesDone, bytesTotal } = progressOf(state);
      expect(bytesDone).toBeLessThanOrEqual(bytesTotal);
      expect(bytesDone).toBeGreaterThanOrEqual(last);
      last = bytesDone;
    }
  });

  it('learns the size of a small layer from Extracting when it skipped Downloading', () => {
    const events: PullEvent[] = [
      { status: 'Pulling fs layer', progressDetail: {}, id: 'aa' },
      { status: 'Download complete', progressDetail: {}, id: 'aa' },
      { status: 'Extracting', progressDetail: { current: 200, total: 200 }, id: 'aa' },
      { status: 'Pull complete', progressDetail: {}, id: 'aa' },
    ];
    expect(aggregatePullProgress(events)).toEqual({ bytesDone: 200, bytesTotal: 200, layersDone: 1, layersTotal: 1 });
  });

  it('reports an image that is up to date as no layers', () => {
    const events: PullEvent[] = [
      { status: 'Pulling from t1', id: 'v1' },
      { status: 'Digest: sha256:abc' },
      { status: 'Status: Image is up to date for 127.0.0.1:5055/t1:v1' },
    ];
    const state = pullStateOf(events);
    expect(progressOf(state)).toEqual({ bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0 });
    expect(state.summary).toMatch(/up to date/);
  });

  it('keeps the first error line of a "successful" stream', () => {
    // Recorded: the registry lost a blob; the engine still answered 200.
    const failing: PullEvent[] = [
      ...pullFromRegistry.slice(0, 7),
      { errorDetail: { message: 'unknown blob' }, error: 'unknown blob' },
      { errorDetail: { message: 'something later' }, error: 'something later' },
    ];
    const state = pullStateOf(failing);
    expect(state.error).toBe('unknown blob');
    expect(progressOf(state).layersDone).toBe(2);
  });

  it('reads the message of an error line', () => {
    expect(pullEventError({ error: 'short', errorDetail: { message: 'manifest unknown: manifest unknown' } })).toBe('manifest unknown: manifest unknown');
    expect(pullEventError({ error: 'only error' })).toBe('only error');
    expect(pullEventError({ status: 'Downloading' })).toBeUndefined();
  });

  it('does not mutate the state it is given', () => {
    const before = pullStateOf(pullFromRegistry.slice(0, 5));
    const snapshot = progressOf(before);
    nextPullState(before, pullFromRegistry[7]!);
    expect(progressOf(before)).toEqual(snapshot);
  });
});
