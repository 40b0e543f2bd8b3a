import { describe, expect, it } from 'vitest';
import { CallAborted, DeadlineExceeded, withDeadline } from '../../../src/docker/deadline.js';

const never = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted by signal'))));

describe('withDeadline', () => {
  it('settles like the call when it is in time', async () => {
    await expect(withDeadline(1000, async () => 42)).resolves.toBe(42);
    await expect(withDeadline(1000, async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
  });

  it('rejects with DeadlineExceeded and aborts the call', async () => {
    let aborted = false;
    const call = (signal: AbortSignal): Promise<never> => {
      signal.addEventListener('abort', () => (aborted = true));
      return never(signal);
    };
    await expect(withDeadline(10, call)).rejects.toBeInstanceOf(DeadlineExceeded);
    expect(aborted).toBe(true);
  });

  it("rejects with CallAborted when the caller's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    await expect(withDeadline(1000, never, controller.signal)).rejects.toBeInstanceOf(CallAborted);
    await expect(withDeadline(1000, never, controller.signal)).rejects.toBeInstanceOf(CallAborted);
  });

  it('turns a synchronous throw into a rejection', async () => {
    await expect(
      withDeadline(1000, () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });
});
