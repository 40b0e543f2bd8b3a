import { describe, expect, it } from 'vitest';
import { fitText, formatBytes, shortImageName } from '../../src/screens/format.js';
import { bytesAndLayers, distinctNames, pullLabel } from '../../src/screens/install/PullProgressList.js';

describe('formatting', () => {
  it('writes bytes in decimal units with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(12_300_000)).toBe('12.3 MB');
    expect(formatBytes(999_960)).toBe('1.0 MB');
    expect(formatBytes(1_234_000_000)).toBe('1.2 GB');
    expect(formatBytes(Number.NaN)).toBe('0 B');
  });

  it('names images by their last path segment', () => {
    expect(shortImageName('ghcr.io/glowingkitty/openmates-api:v0.14.0')).toBe('openmates-api');
    expect(shortImageName('registry.local:5000/web@sha256:abc')).toBe('web');
    expect(shortImageName('postgres')).toBe('postgres');
    expect(distinctNames(['r/openmates-api:v1', 'r/openmates-web:v1']).get('r/openmates-web:v1')).toBe('web');
    expect(distinctNames(['r/openmates-api:v1', 'r/postgres:16']).get('r/openmates-api:v1')).toBe('openmates-api');
  });

  it('pads or cuts text to a width', () => {
    expect(fitText('api', 6)).toBe('api   ');
    expect(fitText('openmates-service', 8)).toBe('openmat…');
  });

  it('labels pulls with bytes and layers, and says when they are finished', () => {
    const pulling = { image: 'api', bytesDone: 12_300_000, bytesTotal: 40_000_000, layersDone: 3, layersTotal: 5, status: 'pulling' as const };
    expect(pullLabel(pulling)).toBe('12.3 MB / 40.0 MB · 3/5 layers');
    expect(bytesAndLayers({ bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 3 })).toBe('0/3 layers');
    expect(bytesAndLayers({ bytesDone: 0, bytesTotal: 0, layersDone: 0, layersTotal: 0 })).toBe('waiting');
    expect(pullLabel({ ...pulling, status: 'done' })).toBe('done · 40.0 MB');
    expect(pullLabel({ ...pulling, status: 'up-to-date' })).toBe('up to date');
  });
});
