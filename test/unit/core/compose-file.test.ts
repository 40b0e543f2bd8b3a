import { describe, expect, it } from 'vitest';
import { interpolate, readComposeFacts } from '../../../src/core/compose-file.js';

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
