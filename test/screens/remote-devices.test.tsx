import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDeviceStore } from '../../src/remote/agent/device-store.js';
import { parseLink } from '../../src/remote/link.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { RemoteAccess } from '../../src/screens/RemoteAccess.js';
import { RemoteAgentView } from '../../src/screens/remote/RemoteAgentView.js';
import { foldAgentEvent } from '../../src/screens/remote/remote-view-state.js';
import type { AgentStatus } from '../../src/remote/agent/agent-types.js';
import { stateDirDevices } from '../../src/screens/remote/devices-source.js';
import { decodeQrText } from '../support/decode-qr-text.js';
import { FAST_POLLING, fakeSource } from './remote/approval-fixtures.js';
import { keys, plain, press, renderSized, waitForText } from './terminal.js';

const info = { hostName: 'box-7', cliVersion: '0.1.0', stopping: false };
let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  cleanup();
  for (const done of cleanups.splice(0).reverse()) await done();
});

/** The Remote access screen over a real device store in a fresh state dir (no agent runs). */
async function renderScreen(size = { columns: 80, rows: 24 }) {
  const stateDir = await mkdtemp(join(tmpdir(), 'omt-devices-screen-'));
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const view = renderSized(
    <AppInfoContext.Provider value={info}>
      <RemoteAccess source={fakeSource([]).source} devices={stateDirDevices(stateDir)} onBack={vi.fn()} polling={FAST_POLLING} />
    </AppInfoContext.Provider>,
    size,
  );
  cleanups.push(() => view.unmount());
  return { ...view, stateDir };
}

async function addDevice(view: Awaited<ReturnType<typeof renderScreen>>, name: string, downs = 0) {
  await waitForText(view.lastFrame, 'Devices', 'a add a device');
  await press(view.stdin, 'a');
  await waitForText(view.lastFrame, 'Name of the new device:');
  await press(view.stdin, name, keys.enter);
  await waitForText(view.lastFrame, `Role of ${name}:`, '❯ approver');
  for (let step = 0; step < downs; step++) await press(view.stdin, keys.down);
  await press(view.stdin, keys.enter);
}

describe('Remote access: adding and revoking a device on screen', () => {
  it('asks the name and the role, then shows the QR code beside the instructions and the link below at 80x24; the code reads as the link', async () => {
    const view = await renderScreen();
    await addDevice(view, 'phone');
    const frame = await waitForText(view.lastFrame, '✓ Added phone (approver).', 'enter done: the link is not shown again');
    const lines = frame.split('\n');
    const beside = lines.slice(0, 20).map((line) => [...line].slice(39).join('').trim()).filter(Boolean).join(' ');
    expect(beside).toContain('✓ Added phone (approver). Its link, shown this once:');
    expect(beside).toContain('Scan the code with the device\'s camera, or copy the link below.');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    // The code's rows are the first ones, each 39 cells of blocks; the text starts beside its first row.
    const qr = lines.filter((line) => /^[█▀▄ ]{39}/.test(line)).map((line) => [...line].slice(0, 39).join(''));
    expect(qr).toHaveLength(20);
    expect(lines[0]!.slice(39).trim()).toMatch(/^✓ Added phone/);
    const link = lines.slice(20).join('').trim();
    expect(parseLink(link).deviceId).toBeUndefined();
    expect(decodeQrText(qr)).toBe(link);
    // The device is in the store, by the id its key gives, and the seed in the link is its key.
    const store = await openDeviceStore(view.stateDir);
    expect(store.list().map((device) => [device.name, device.role])).toEqual([['phone', 'approver']]);

    await press(view.stdin, keys.enter);
    const back = await waitForText(view.lastFrame, 'Devices', '○ phone (approver)', 'r revoke a device');
    expect(back).not.toContain(link.slice(30, 60));
  });

  it('picks the operator role with ↓, refuses a name taken or unusable with the reason (staying in the prompt), and revokes a device after a y', async () => {
    const view = await renderScreen({ columns: 100, rows: 30 });
    await addDevice(view, 'ci-bot', 1);
    await waitForText(view.lastFrame, '✓ Added ci-bot (operator).');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, '○ ci-bot (operator)');

    await addDevice(view, 'ci-bot');
    await waitForText(view.lastFrame, 'A device named "ci-bot" exists already.', 'Name of the new device: ci-bot');
    await press(view.stdin, ...Array.from({ length: 6 }, () => '\x7f'), '-bad', keys.enter, keys.enter);
    await waitForText(view.lastFrame, '"-bad" is not a usable device name.');
    await press(view.stdin, keys.escape);
    await waitForText(view.lastFrame, 'a add a device');

    await press(view.stdin, 'r');
    await waitForText(view.lastFrame, 'Revoke which device?', '❯ ○ ci-bot (operator)');
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, 'Revoke ci-bot (operator)? Its link stops working and its open sessions end.', 'y revoke');
    await press(view.stdin, 'y');
    await waitForText(view.lastFrame, 'Revoked ci-bot: its link no longer works.', 'none yet: press a to add one');
    const store = await openDeviceStore(view.stateDir);
    expect(store.list()[0]?.revoked).toBeTruthy();
  });

  it('on a terminal too small for the code: the instructions and the link, and how big a terminal shows the code', async () => {
    const view = await renderScreen({ columns: 60, rows: 20 });
    await addDevice(view, 'tablet');
    // 65 columns: the 39-column code and 24 of text (and the link in 2 rows); 23 rows and one free.
    const frame = await waitForText(view.lastFrame, '✓ Added tablet (approver).', 'Open the link below on the device.', 'A terminal of 65x23 shows the QR code too.');
    expect(frame).not.toContain('█▀▀▀▀▀▀▀█');
    const link = frame.split('\n').filter((line) => /^http:\/\/|^[A-Z2-7]+$/.test(line.trim())).join('').trim();
    expect(parseLink(link).deviceId).toBeUndefined();
    expect(plain(view.lastFrame())).toContain('enter done');
  });
});

describe('remote-access start\'s own screen: adding a device there too', () => {
  it('a adds one (q typed in its name is a letter, not quit), shows its code and link at 80x24, and lists it', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'omt-devices-agent-view-'));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    const status: AgentStatus = { running: true, name: 'prod-1', pid: 42, url: 'http://127.0.0.1:7420/', agentId: 'a'.repeat(43), roots: ['/srv'], fullAccess: false, safetyMode: true, devices: [], requests: 0, stateDir };
    const state = foldAgentEvent({ feed: [], notices: [] }, { type: 'listening', status });
    let quit = false;
    const view = renderSized(<RemoteAgentView state={state} rows={24} onQuit={() => (quit = true)} approvals={fakeSource([]).source} devices={stateDirDevices(stateDir)} polling={FAST_POLLING} />, { columns: 80, rows: 24 });
    cleanups.push(() => view.unmount());
    await waitForText(view.lastFrame, 'Remote access: prod-1', 'none yet: press a to add one', 'a add a device', 'q stop the agent');
    await press(view.stdin, 'a');
    await waitForText(view.lastFrame, 'Name of the new device:');
    await press(view.stdin, 'qa-laptop', keys.enter);
    await waitForText(view.lastFrame, 'Role of qa-laptop:');
    expect(quit).toBe(false);
    await press(view.stdin, keys.down, keys.enter);
    const frame = await waitForText(view.lastFrame, '✓ Added qa-laptop (operator).');
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    const qr = lines.slice(0, 20).map((line) => [...line].slice(0, 39).join(''));
    const link = lines.slice(20).join('').trim();
    expect(decodeQrText(qr)).toBe(link);
    await press(view.stdin, keys.enter);
    await waitForText(view.lastFrame, '○ qa-laptop (operator)', 'r revoke a device');
    await press(view.stdin, 'q');
    expect(quit).toBe(true);
  });
});
