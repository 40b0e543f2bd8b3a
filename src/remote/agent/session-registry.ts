import type { OpenmatesError } from '../../core/errors.js';
import type { ChannelSession } from '../channel/session.js';

/** Open sessions per device, so a revocation can end all of a device's sessions at once. */
export class SessionRegistry {
  private readonly byDevice = new Map<string, Set<ChannelSession>>();
  private readonly goneListeners: ((deviceId: string) => void)[] = [];

  /** Called when a device's last open session closes (its for-session approvals end then). */
  onDeviceGone(listener: (deviceId: string) => void): void {
    this.goneListeners.push(listener);
  }

  add(session: ChannelSession): void {
    const set = this.byDevice.get(session.deviceId) ?? new Set();
    set.add(session);
    this.byDevice.set(session.deviceId, set);
    session.onClose(() => {
      set.delete(session);
      if (set.size === 0 && this.byDevice.get(session.deviceId) === set) {
        this.byDevice.delete(session.deviceId);
        for (const listener of this.goneListeners) listener(session.deviceId);
      }
    });
  }

  connected(deviceId: string): number {
    return this.byDevice.get(deviceId)?.size ?? 0;
  }

  get total(): number {
    let count = 0;
    for (const set of this.byDevice.values()) count += set.size;
    return count;
  }

  closeDevice(deviceId: string, reason: string): void {
    for (const session of [...(this.byDevice.get(deviceId) ?? [])]) session.close(reason);
  }

  /** Ends the device's sessions with an error its pending calls receive as it is. */
  refuseDevice(deviceId: string, error: OpenmatesError): void {
    for (const session of [...(this.byDevice.get(deviceId) ?? [])]) session.refuse(error);
  }

  /** Resolves once every session's socket has sent what it was given (or after `timeoutMs`). */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const busy = () => [...this.byDevice.values()].some((set) => [...set].some((session) => !session.closed && session.bufferedAmount > 0));
    while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  closeAll(reason: string): void {
    for (const deviceId of [...this.byDevice.keys()]) this.closeDevice(deviceId, reason);
  }
}
