import { describe, expect, it } from 'vitest';
import type { OperationEvent as AppEvent } from '../../../src/core/events.js';
import { removeStaleContainers, staleDuplicates } from '../../../src/core/stale-containers.js';
import { container, FakeEngine } from '../fakes/fake-docker.js';

const v1Api = container('om', 'api', { id: 'v1-api', name: 'om_api_1', state: 'exited', health: undefined, created: '2026-01-01T10:00:00Z', containerNumber: 1, oneOff: false });
const v2Api = container('om', 'api', { id: 'v2-api', name: 'om-api-1', state: 'running', health: 'healthy', created: '2026-01-02T10:00:00Z', containerNumber: 1, oneOff: false });
const renamedApi = container('om', 'api', { id: 'renamed', name: '0123456789ab_om_api_1', state: 'exited', health: undefined, created: '2026-01-01T09:00:00Z', containerNumber: 1, oneOff: false });

describe('staleDuplicates', () => {
  it('finds a v1 container beside the running v2 one of the same replica, and an interrupted recreate\'s renamed copy', () => {
    const web = container('om', 'webapp', { containerNumber: 1 });
    expect(staleDuplicates([v1Api, v2Api, renamedApi, web]).map((c) => c.id).sort()).toEqual(['renamed', 'v1-api']);
  });

  it('with none running keeps one that has run over one that never started', () => {
    const stopped = { ...v2Api, state: 'exited' as const, health: undefined, created: '2026-01-01T00:00:00Z' };
    const neverStarted = { ...renamedApi, state: 'created' as const, startedAt: undefined, created: '2026-03-01T00:00:00Z' };
    expect(staleDuplicates([stopped, neverStarted]).map((c) => c.id)).toEqual(['renamed']);
  });

  it('with none running keeps the newest, whatever the names say', () => {
    const stoppedV2 = { ...v2Api, state: 'exited' as const, health: undefined };
    expect(staleDuplicates([stoppedV2, v1Api]).map((c) => c.id)).toEqual(['v1-api']);
    const newerWithV1Name = { ...v1Api, created: '2026-02-01T00:00:00Z' };
    expect(staleDuplicates([stoppedV2, newerWithV1Name]).map((c) => c.id)).toEqual(['v2-api']);
  });

  it('leaves replicas of a scaled service, one-off `compose run` containers and unlabelled ones alone', () => {
    const second = { ...v2Api, id: 'api-2', name: 'om-api-2', containerNumber: 2 };
    const run = { ...v2Api, id: 'run', name: 'om-api-run-1f2e', oneOff: true };
    const unlabelled = container('om', '', { id: 'helper' });
    expect(staleDuplicates([v2Api, second, run, unlabelled, { ...unlabelled, id: 'helper-2' }])).toEqual([]);
  });
});

describe('removeStaleContainers', () => {
  it('removes them from the engine and says which, beside which', async () => {
    const engine = new FakeEngine();
    engine.containers = [v1Api, v2Api];
    const events: AppEvent[] = [];
    expect(await removeStaleContainers(engine, 'om', (event) => events.push(event))).toEqual(['om_api_1']);
    expect(engine.containers.map((c) => c.id)).toEqual(['v2-api']);
    expect(events).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('Removed om_api_1 (exited), a second container of api beside om-api-1') })]);
  });
});
