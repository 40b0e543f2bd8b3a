import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/remote/link.js';
import { readyLine } from '../../../src/remote/agent/ready-line.js';
import { linkFromReady } from '../../../src/remote/ready-line.js';

const agentId = 'A'.repeat(43);
const status = { running: true, name: 'box', url: 'http://127.0.0.1:7420/', agentId, safetyMode: false, devices: [], requests: 0, stateDir: '/s' };
const device = { id: 'D'.repeat(22), name: 'e2b', role: 'operator' as const, created: '2026-01-01T00:00:00Z', connected: 0 };

describe('ready line', () => {
  it('keeps type, agent and relay; relay is null in direct mode; the link is built from it and the kept seed', () => {
    const ready = readyLine(status, undefined, device);
    expect(ready).toEqual({ type: 'ready', agent: agentId, relay: null, url: 'http://127.0.0.1:7420/', name: 'box', safetyMode: false, device: { id: device.id, name: 'e2b', role: 'operator' } });
    const seed = 'k'.repeat(43);
    expect(parseLink(linkFromReady(ready, seed))).toEqual({ url: 'http://127.0.0.1:7420/', agentId, deviceId: device.id, deviceSeed: seed });
    const relayed = readyLine(status, 'https://relay.example/', device);
    expect(parseLink(linkFromReady(relayed, seed)).url).toBe('https://relay.example/');
    expect(() => linkFromReady(readyLine(status, undefined, undefined), seed)).toThrow(/--device-key-file/);
  });
});
