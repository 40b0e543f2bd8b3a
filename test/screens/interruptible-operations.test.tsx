import { describe, expect, it } from 'vitest';
import type { Operations } from '../../src/core/operations.js';
import { eitherSignal, interruptibleOperations } from '../../src/screens/interruptible-operations.js';
import { deferred, INSTALL_DIR, logsNotUsed, notInstalled, plan, result } from './fixtures.js';

describe('interruptible operations', () => {
  it('aborts a running call when the app aborts, and settles once it has stopped', async () => {
    const app = new AbortController();
    const screen = new AbortController();
    let seen: AbortSignal | undefined;
    const install = deferred<typeof result>();
    const operations: Operations = {
      status: async () => notInstalled,
      planInstall: async () => plan,
      install: (_plan, _sink, signal) => {
        seen = signal;
        return install.promise;
      },
      logs: logsNotUsed,
    };
    const wrapped = interruptibleOperations(operations, app.signal);
    const running = wrapped.install(plan, () => {}, screen.signal);
    expect(seen?.aborted).toBe(false);
    expect(await wrapped.settled(10)).toBe(false);

    app.abort('ctrl-c');
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe('ctrl-c');
    install.reject(new Error('interrupted'));
    await expect(running).rejects.toThrow('interrupted');
    expect(await wrapped.settled(10)).toBe(true);
  });

  it("passes the screen's own abort through too", async () => {
    const app = new AbortController();
    const screen = new AbortController();
    let seen: AbortSignal | undefined;
    const wrapped = interruptibleOperations(
      {
        status: (_options, signal) => {
          seen = signal;
          return Promise.resolve(notInstalled);
        },
        planInstall: async () => plan,
        install: async () => result,
        logs: logsNotUsed,
      },
      app.signal,
    );
    await wrapped.status({ installDir: INSTALL_DIR }, screen.signal);
    screen.abort();
    expect(seen?.aborted).toBe(true);
    expect(app.signal.aborted).toBe(false);
  });

  it('combines two signals, already-aborted ones included', () => {
    const done = new AbortController();
    done.abort('early');
    expect(eitherSignal(done.signal, new AbortController().signal).signal.reason).toBe('early');
    const only = new AbortController();
    expect(eitherSignal(only.signal, undefined).signal).toBe(only.signal);
  });
});
