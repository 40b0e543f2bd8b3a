import { describe, expect, it } from 'vitest';
import { durationSeconds, interpolate, readComposeFacts } from '../../../src/core/compose-file.js';
import { longestStopSeconds } from '../../../src/core/lifecycle/stop-time.js';

describe('interpolate', () => {
  const vars = { REG: 'ghcr.io/x', TAG: 'v1', EMPTY: '' };
  it.each([
    ['${REG}/api:${TAG}', 'ghcr.io/x/api:v1'],
    ['$REG/api', 'ghcr.io/x/api'],
    ['${MISSING:-ghcr.io/y}/api', 'ghcr.io/y/api'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${TAG:+set}', 'set'],
    ['cost $$5', 'cost $5'],
  ])('%s -> %s', (input, expected) => {
    expect(interpolate(input, vars, 'test')).toBe(expected);
  });

  it('fails on a required variable that is unset', () => {
    expect(() => interpolate('${NOPE:?set NOPE in .env}', vars, 'image')).toThrow(/NOPE is required: set NOPE in .env/);
  });
});

describe('readComposeFacts', () => {
  const compose = `
x-api: &api
  image: \${OPENMATES_IMAGE_REGISTRY:-ghcr.io/glowingkitty}/openmates-api:\${OPENMATES_IMAGE_TAG}
  restart: unless-stopped
services:
  setup:
    image: \${OPENMATES_IMAGE_REGISTRY:-ghcr.io/glowingkitty}/openmates-setup:\${OPENMATES_IMAGE_TAG}
  api:
    <<: *api
    depends_on:
      setup: { condition: service_completed_successfully }
  worker:
    <<: *api
    command: worker
  monitor:
    image: prom/prometheus
    profiles: [monitoring]
`;
  it('resolves merge keys and variables, skips profiled services, finds one-shots', () => {
    const facts = readComposeFacts(compose, 'compose.yml', { OPENMATES_IMAGE_TAG: 'v0.14.0' });
    expect(facts.services).toEqual(['setup', 'api', 'worker']);
    expect(facts.images).toEqual(['ghcr.io/glowingkitty/openmates-setup:v0.14.0', 'ghcr.io/glowingkitty/openmates-api:v0.14.0']);
    expect(facts.oneShotServices).toEqual(['setup']);
  });

  it('rejects a file without services', () => {
    expect(() => readComposeFacts('volumes: {}\n', 'c.yml', {})).toThrow(/has no "services" section/);
  });
});

describe('container names, stop grace periods and dependencies', () => {
  const compose = `
x-worker: &worker
  image: reg/api:v1
  container_name: \${PREFIX:-om}-worker
services:
  api:
    image: reg/api:v1
    container_name: api
    stop_grace_period: 15s
  worker:
    <<: *worker
    stop_grace_period: 1m30s
    depends_on: [api]
  webapp:
    image: reg/web:v1
    depends_on:
      api: { condition: service_healthy }
  tools:
    image: reg/tools:v1
    container_name: tools
    profiles: [debug]
`;

  it('reads fixed container names after interpolation (anchors merged, profiles left out)', () => {
    expect(readComposeFacts(compose, 'c.yml', { PREFIX: 'prod' }).containerNames).toEqual([
      { service: 'api', name: 'api' },
      { service: 'worker', name: 'prod-worker' },
    ]);
    expect(readComposeFacts(compose, 'c.yml', {}).containerNames[1]).toEqual({ service: 'worker', name: 'om-worker' });
  });

  it('reads stop_grace_period, 10 s when unset, and what each service depends on', () => {
    const facts = readComposeFacts(compose, 'c.yml', {});
    expect(facts.stopGraceSeconds).toEqual({ api: 15, worker: 90, webapp: 10 });
    expect(facts.dependsOn).toEqual({ api: [], worker: ['api'], webapp: ['api'] });
  });

  it('reads Compose durations', () => {
    expect([durationSeconds('15s'), durationSeconds('1m30s'), durationSeconds('500ms'), durationSeconds('2h'), durationSeconds('20'), durationSeconds('soon')]).toEqual([15, 90, 0.5, 7200, 20, undefined]);
  });

  it('the longest stop is the slowest chain of running services, dependents first', () => {
    const facts = readComposeFacts(compose, 'c.yml', {});
    expect(longestStopSeconds(facts, ['api', 'worker', 'webapp'])).toBe(105);
    expect(longestStopSeconds(facts, ['api', 'webapp'])).toBe(25);
    expect(longestStopSeconds(facts, ['webapp'])).toBe(10);
    expect(longestStopSeconds(facts, [])).toBe(0);
  });
});
