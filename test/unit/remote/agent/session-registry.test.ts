import { describe, expect, it } from 'vitest';
import type { ChannelSession } from '../../../../src/remote/channel/session.js';
import { SessionRegistry } from '../../../../src/remote/agent/session-registry.js';

function fakeSession(deviceId: string) {
  const listeners: (() => void)[] = [];
  const session = { deviceId, onClose: (listener: () => void) => void listeners.push(listener), close: () => listeners.forEach((listener) => listener()) };
  return session as unknown as ChannelSession & { close(): void };
}

describe('SessionRegistry.onDeviceGone', () => {
  it('fires once, when the last session of a device closes', () => {
    const registry = new SessionRegistry();
    const gone: string[] = [];
    registry.onDeviceGone((id) => gone.push(id));
    const a1 = fakeSession('a');
    const a2 = fakeSession('a');
    const b = fakeSession('b');
    registry.add(a1);
    registry.add(a2);
    registry.add(b);
    a1.close();
    expect(gone).toEqual([]);
    a2.close();
    expect(gone).toEqual(['a']);
    expect(registry.connected('a')).toBe(0);
    b.close();
    expect(gone).toEqual(['a', 'b']);
  });
});
