import { cleanup, render } from 'ink-testing-library';
import { Profiler } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import { App } from '../../src/screens/App.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { Home } from '../../src/screens/Home.js';
import { RemoteAccess } from '../../src/screens/RemoteAccess.js';
import { INSTALL_DIR, installedDegraded, operationsStub, scriptedOperations } from './fixtures.js';
import { deleteApproval, diffLinesOf, FAST_POLLING, fakeSource, restartApproval, writeApproval } from './remote/approval-fixtures.js';
import { chooseMenuItem, keys, plain, press, renderSized, waitForText } from './terminal.js';
import type { Approval } from '../../src/remote/protocol/approvals.js';
import type { ApprovalsSource } from '../../src/remote/agent/control-approvals.js';

const sized: { unmount(): void }[] = [];
afterEach(() => {
  cleanup();
  for (const view of sized.splice(0)) view.unmount();
});

const info = { hostName: 'box-7', cliVersion: '0.1.0', stopping: false };

function renderRemote(source: ApprovalsSource, size = { columns: 100, rows: 40 }) {
  const onBack = vi.fn();
  const view = renderSized(
    <AppInfoContext.Provider value={info}>
      <RemoteAccess source={source} onBack={onBack} polling={FAST_POLLING} />
    </AppInfoContext.Provider>,
    size,
  );
  sized.push(view);
  return { ...view, onBack };
}

describe('the home screen with remote approvals', () => {
  it('draws the eye to the waiting requests, counts them, and a opens Remote access', async () => {
    const { source } = fakeSource([writeApproval(), deleteApproval(), writeApproval({ id: 'old1', state: 'approved', decidedBy: { via: 'device', name: 'tablet' } })]);
    const onOpen = vi.fn();
    const { lastFrame, stdin } = render(
      <AppInfoContext.Provider value={info}>
        <Home operations={scriptedOperations().operations} installDir={INSTALL_DIR} onInstall={() => {}} onLifecycle={() => {}} onQuit={() => {}} onOpen={onOpen} approvals={source} approvalsPolling={FAST_POLLING} />
      </AppInfoContext.Provider>,
    );
    const frame = await waitForText(lastFrame, '! 2 remote requests wait for your approval · press a', 'a approve');
    expect(frame).toContain('Not installed');
    await press(stdin, 'a');
    expect(onOpen).toHaveBeenCalledWith('remote');
  });

  it('shows no line when nothing waits (or no agent runs), and offers Remote access under More… with the count', async () => {
    const none = fakeSource(undefined);
    const quiet = render(
      <AppInfoContext.Provider value={info}>
        <Home operations={scriptedOperations().operations} installDir={INSTALL_DIR} onInstall={() => {}} onLifecycle={() => {}} onQuit={() => {}} onOpen={() => {}} approvals={none.source} approvalsPolling={FAST_POLLING} />
      </AppInfoContext.Provider>,
    );
    await waitForText(quiet.lastFrame, 'Not installed', 'a remote access');
    await vi.waitFor(() => expect(none.state.lists).toBeGreaterThan(1));
    expect(plain(quiet.lastFrame())).not.toContain('wait for your approval');
    quiet.unmount();

    const { source } = fakeSource([writeApproval()]);
    const onOpen = vi.fn();
    const { lastFrame, stdin } = render(
      <AppInfoContext.Provider value={info}>
        <Home
          operations={scriptedOperations({ status: () => Promise.resolve(installedDegraded) }).operations}
          installDir={INSTALL_DIR}
          onInstall={() => {}}
          onLifecycle={() => {}}
          onQuit={() => {}}
          onOpen={onOpen}
          approvals={source}
          approvalsPolling={FAST_POLLING}
        />
      </AppInfoContext.Provider>,
    );
    await waitForText(lastFrame, '1 remote request waits for your approval', 'More…');
    await chooseMenuItem(stdin, lastFrame, 'Remote access');
    expect(plain(lastFrame())).toContain('❯ Remote access (1 waiting)');
    await press(stdin, keys.enter);
    expect(onOpen).toHaveBeenCalledWith('remote');
  });
});

describe('asking the agent', () => {
  it('asks every poll interval while an agent runs, and only slowly while none does', async () => {
    const polling = { everyMs: 10, idleMs: 60_000 };
    const none = fakeSource(undefined);
    const idle = renderSized(<AppInfoContext.Provider value={info}><RemoteAccess source={none.source} onBack={() => {}} polling={polling} /></AppInfoContext.Provider>, { columns: 100, rows: 30 });
    sized.push(idle);
    const running = fakeSource([]);
    const busy = renderSized(<AppInfoContext.Provider value={info}><RemoteAccess source={running.source} onBack={() => {}} polling={polling} /></AppInfoContext.Provider>, { columns: 100, rows: 30 });
    sized.push(busy);
    await waitForText(idle.lastFrame, 'No remote-access agent runs');
    await waitForText(busy.lastFrame, 'Nothing waits for your approval.');
    await vi.waitFor(() => expect(running.state.lists).toBeGreaterThan(5));
    expect(none.state.lists).toBe(1);
  });

  it('an answer like the last one redraws nothing (the idle dashboard stays still between its own updates)', async () => {
    for (const initial of [undefined, [writeApproval()]]) {
      const { source, state } = fakeSource(initial);
      let commits = 0;
      const view = render(
        <Profiler id="home" onRender={() => commits++}>
          <AppInfoContext.Provider value={info}>
            <Home operations={scriptedOperations().operations} installDir={INSTALL_DIR} onInstall={() => {}} onLifecycle={() => {}} onQuit={() => {}} onOpen={() => {}} approvals={source} approvalsPolling={FAST_POLLING} />
          </AppInfoContext.Provider>
        </Profiler>,
      );
      await vi.waitFor(() => expect(state.lists).toBeGreaterThanOrEqual(2));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const settled = commits;
      const polled = state.lists;
      await vi.waitFor(() => expect(state.lists).toBeGreaterThanOrEqual(polled + 4));
      expect(commits).toBe(settled);
      view.unmount();
    }
  });
});

describe('the Remote access screen', () => {
  it('lists the pending requests and shows the selected one in full: device, targets, countdown, the coloured diff, undo', async () => {
    const { source } = fakeSource([writeApproval(), restartApproval(), deleteApproval({ id: 'gone1', state: 'denied', reason: 'not now', decidedBy: { via: 'cli', name: 'root on this server (openmates remote-access)' } })]);
    const { lastFrame, stdin } = renderRemote(source);
    const frame = await waitForText(lastFrame, 'Waiting for your approval (2)', '❯ Write /srv/app/config.yml · phone (operator) · expires in 7m', 'Restart openmates-core · laptop (operator)');
    expect(frame).toMatch(/Device\s+phone \(operator\)/);
    expect(frame).toMatch(/Target\s+\/srv\/app\/config\.yml/);
    expect(frame).toMatch(/Time\s+asked 2m 0\ds ago, expires in 7m/);
    expect(frame).toMatch(/Writes\s+\/srv\/app\/config\.yml \(1\.2 kB → 1\.3 kB\)/);
    expect(frame).toContain('@@ -1,3 +1,3 @@');
    expect(frame).toMatch(/-port: 8080\n\s+\+port: 9090/);
    expect(frame).toMatch(/Undo\s+yes: `openmates remote-access undo`/);
    expect(frame).toMatch(/Session\s+approving for the session also allows files\.write on the same path \(or command\)/);
    expect(frame).toContain('Recently decided');
    expect(frame).toContain('✗ Denied by root on this server (openmates remote-access): not now · Delete the folder');
    expect(frame).toContain('y approve · n deny · s approve for the session · esc back');

    // ↓ picks the restart: the core's disruption text.
    await press(stdin, keys.down);
    const restart = await waitForText(lastFrame, '❯ Restart openmates-core', 'Restart openmates-core: its 4 services stop and start again.');
    expect(restart).toMatch(/Downtime\s+about a minute, until every service is healthy again/);
    expect(restart).toMatch(/Services\s+api, web, worker, cache/);
    expect(restart).toContain('! People using OpenMates are disconnected until it is back.');
    expect(restart).toMatch(/Undo\s+not possible: a restart cannot be undone/);
    expect(restart).not.toContain('s approve for the session');
    expect(restart).not.toContain('approving for the session');
  });

  it('y approves the shown request with its id and hash, and says so', async () => {
    const { source, state } = fakeSource([writeApproval(), deleteApproval()]);
    const { lastFrame, stdin } = renderRemote(source);
    await waitForText(lastFrame, '❯ Write /srv/app/config.yml');
    await press(stdin, 'y');
    await waitForText(lastFrame, '✓ Write /srv/app/config.yml — Approved by you', 'Waiting for your approval (1)', '❯ Delete the folder /srv/app/cache');
    expect(state.decisions).toEqual([{ id: 'k7p2qd', hash: 'a1'.repeat(32), decision: 'approve' }]);
    expect(plain(lastFrame())).toContain('✓ Approved by root on this server (the openmates app) · Write /srv/app/config.yml');
  });

  it('n asks for an optional reason: Enter denies with it, Esc denies without one', async () => {
    const { source, state } = fakeSource([writeApproval(), restartApproval()]);
    const { lastFrame, stdin, onBack } = renderRemote(source);
    await waitForText(lastFrame, '❯ Write /srv/app/config.yml');
    await press(stdin, 'n');
    await waitForText(lastFrame, 'Deny: Write /srv/app/config.yml', 'Reason (optional):', 'enter deny with this reason · esc deny without a reason');
    await press(stdin, 'wrong port', keys.enter);
    await waitForText(lastFrame, '✗ Write /srv/app/config.yml — Denied by you: wrong port');
    expect(state.decisions).toEqual([{ id: 'k7p2qd', hash: 'a1'.repeat(32), decision: 'deny', reason: 'wrong port' }]);

    await waitForText(lastFrame, '❯ Restart openmates-core');
    await press(stdin, 'n', keys.escape);
    await waitForText(lastFrame, '✗ Restart openmates-core — Denied by you', 'Nothing waits for your approval.');
    expect(state.decisions[1]).toEqual({ id: 'r5tq1z', hash: 'c3'.repeat(32), decision: 'deny' });
    // The Esc went to the reason prompt, not back to home.
    expect(onBack).not.toHaveBeenCalled();
    await press(stdin, keys.escape);
    expect(onBack).toHaveBeenCalledTimes(1);
  });

  it('keys faster than the screen redraws: a pasted reason and Enter keep the reason, y twice decides once', async () => {
    const { source, state } = fakeSource([writeApproval(), restartApproval()]);
    const { lastFrame, stdin } = renderRemote(source);
    await waitForText(lastFrame, '❯ Write /srv/app/config.yml');
    await press(stdin, 'n');
    await waitForText(lastFrame, 'Reason (optional):');
    stdin.write('pasted reason');
    stdin.write(keys.enter);
    await waitForText(lastFrame, '— Denied by you: pasted reason');
    expect(state.decisions).toEqual([{ id: 'k7p2qd', hash: 'a1'.repeat(32), decision: 'deny', reason: 'pasted reason' }]);
    await waitForText(lastFrame, '❯ Restart openmates-core');
    await press(stdin, keys.down); // a pause, so the screen shows the restart as selected in its keys
    stdin.write('y');
    stdin.write('y');
    await waitForText(lastFrame, '✓ Restart openmates-core — Approved by you');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.decisions).toHaveLength(2);
  });

  it('s approves for the session when allowed, and for a destructive one says why not and decides nothing', async () => {
    const { source, state } = fakeSource([deleteApproval(), writeApproval()]);
    const { lastFrame, stdin } = renderRemote(source);
    await waitForText(lastFrame, '❯ Delete the folder /srv/app/cache', 'Deletes /srv/app/cache: 12 files, 2 folders, 48 kB', '✗ cache/a.bin', '… and 12 more');
    expect(plain(lastFrame())).toContain('y approve · n deny · esc back');
    await press(stdin, 's');
    await waitForText(lastFrame, 'cannot be approved for the session: it is destructive');
    expect(state.decisions).toEqual([]);

    await press(stdin, keys.down, 's');
    await waitForText(lastFrame, '✓ Write /srv/app/config.yml — Approved for the session by you');
    expect(state.decisions).toEqual([{ id: 'k7p2qd', hash: 'a1'.repeat(32), decision: 'approve', forSession: true }]);
  });

  it('shows the error when the decision fails, and who decided first', async () => {
    const { source, state } = fakeSource([writeApproval()]);
    state.failWith = new OpenmatesError('refused', 'Approval k7p2qd was already decided.');
    state.onFail = (list) => list.map((approval) => ({ ...approval, state: 'approved' as const, decidedBy: { via: 'device' as const, name: 'tablet', deviceId: 'dev-tab' } }));
    const { lastFrame, stdin } = renderRemote(source);
    await waitForText(lastFrame, '❯ Write /srv/app/config.yml');
    await press(stdin, 'y');
    const frame = await waitForText(lastFrame, '✗ Approval k7p2qd was already decided.', '→ Approved by tablet (device)', 'Nothing waits for your approval.');
    expect(frame).not.toContain('While it was shown');
    expect(state.decisions).toHaveLength(1);
  });

  it('says when no agent runs and how to start one, and finds one that starts later', async () => {
    const { source, state } = fakeSource(undefined);
    const { lastFrame } = renderRemote(source);
    await waitForText(lastFrame, 'No remote-access agent runs on this machine', 'Start one in another terminal: openmates remote-access start');
    state.approvals = [writeApproval()];
    await waitForText(lastFrame, 'Waiting for your approval (1)');
  });

  it('an approval that expires while shown disappears, with a note', async () => {
    const { source, state } = fakeSource([writeApproval(), restartApproval({ expiresAt: new Date(Date.now() + 400).toISOString() })]);
    const { lastFrame, stdin } = renderRemote(source);
    await waitForText(lastFrame, '❯ Write /srv/app/config.yml');
    await press(stdin, keys.down);
    await waitForText(lastFrame, '❯ Restart openmates-core');
    // Its time runs out on the screen's clock, before the agent says so.
    await waitForText(lastFrame, 'While it was shown: Restart openmates-core: Expired: nobody answered in time', 'Waiting for your approval (1)', '❯ Write /srv/app/config.yml');
    // The agent moves the other one to expired: it leaves the list too.
    state.approvals = [writeApproval({ state: 'expired' })];
    await waitForText(lastFrame, 'Nothing waits for your approval.', '– Expired: nobody answered in time · Write /srv/app/config.yml');
    await press(stdin, 'y');
    expect(state.decisions).toEqual([]);
  });

  it('shows an escape sequence in the request as text, so it cannot paint over the screen', async () => {
    const base = writeApproval().details as Extract<Approval['details'], { kind: 'write' }>;
    const { source } = fakeSource([writeApproval({ headline: 'Write notes\x1b[2J.txt', details: { ...base, diff: '@@ -1 +1 @@\n-a\tb\n+c\x1b[31md\n' } })]);
    const { lastFrame } = renderRemote(source);
    await waitForText(lastFrame, '❯ Write notes\\x1b[2J.txt', '+c\\x1b[31md', '-a      b');
    expect(lastFrame()).not.toContain('\x1b[2J');
  });

  it('clips a long diff to the terminal with "… N more lines", and PgDn scrolls it', async () => {
    const long = writeApproval({ details: { ...(writeApproval().details as Extract<Approval['details'], { kind: 'write' }>), diff: `@@ -0,0 +1,80 @@\n${diffLinesOf(80)}\n` } });
    const { source } = fakeSource([long]);
    const view = renderRemote(source, { columns: 100, rows: 30 });
    const frame = await waitForText(view.lastFrame, '+added line 1', 'more lines');
    expect(frame).not.toContain('+added line 80');
    expect(frame.split('\n').length).toBeLessThanOrEqual(30);
    const more = Number(/… (\d+) more lines/.exec(frame)?.[1]);
    const shown = (frame.match(/\+added line/g) ?? []).length;
    expect(shown + 1 + more).toBe(81); // the hunk line counts too
    await press(view.stdin, '\x1b[6~');
    const scrolled = await waitForText(view.lastFrame, 'above)');
    expect(scrolled).not.toContain('+added line 1\n');
  });

  it('is reached from the app: home → a → Remote access → y → esc back home', async () => {
    const { source, state } = fakeSource([writeApproval()]);
    const { lastFrame, stdin } = render(<App operations={scriptedOperations().operations} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" approvals={source} />);
    await waitForText(lastFrame, '1 remote request waits for your approval');
    await press(stdin, 'a');
    await waitForText(lastFrame, 'Remote access', '❯ Write /srv/app/config.yml');
    await press(stdin, 'y');
    await waitForText(lastFrame, '— Approved by you');
    expect(state.decisions).toHaveLength(1);
    await press(stdin, keys.escape);
    await waitForText(lastFrame, 'Not installed');
    expect(plain(lastFrame())).not.toContain('wait for your approval');
  });

  it('the app without an approvals source offers no remote access', async () => {
    const { lastFrame } = render(<App operations={operationsStub()} installDir={INSTALL_DIR} cliVersion="0.1.0" hostName="box-7" />);
    await waitForText(lastFrame, 'q quit');
    expect(plain(lastFrame())).not.toContain('remote access');
  });
});
