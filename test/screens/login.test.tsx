import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { qrCodeLines } from '../../src/auth/qr-code.js';
import { createLoginOperations } from '../../src/core/login/create-login-operations.js';
import { defaultLoginDeps } from '../../src/core/login/login-deps.js';
import type { Operations } from '../../src/core/operations.js';
import { App } from '../../src/screens/App.js';
import { Login } from '../../src/screens/Login.js';
import { startPairServer, type PairServer, type PairServerOptions } from '../fixtures/pair-server/server.js';
import { installedDegraded, scriptedOperations } from './fixtures.js';
import { chooseMenuItem, keys, plain, press, renderSized, waitForText } from './terminal.js';

/** Set SHOW_FRAMES=1 to print the frames these tests look at. */
const show = (name: string, frame: string) => {
  if (process.env.SHOW_FRAMES) process.stdout.write(`\n── ${name} ──\n${frame}\n`);
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An install dir whose stack copy names the stand-in as its API, and the app wired to it. */
async function loginApp(size: { columns: number; rows: number }, serverOptions: PairServerOptions = {}) {
  const server: PairServer = await startPairServer(serverOptions);
  cleanups.push(() => server.close().catch(() => undefined));
  const home = mkdtempSync(join(tmpdir(), 'omt-login-screen-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const installDir = join(home, 'install');
  mkdirSync(installDir);
  writeFileSync(
    join(installDir, 'openmates-stack.yml'),
    `name: omt-login\ncompose: ./c.yml\nregistry: r/x\nregistryVariable: R\ntag: v1.0.0\ntagVariable: T\nversionImage: api\nurls:\n  - { name: API, url: "${server.url}" }\n`,
  );
  const sessionFile = join(home, 'state', 'openmates', 'session.json');
  const operations: Operations = {
    ...scriptedOperations({ status: () => Promise.resolve({ ...installedDegraded, installDir }) }).operations,
    ...createLoginOperations(defaultLoginDeps({ sessionFile, pollIntervalMs: 40, hostname: () => 'box-7' })),
  };
  const view = renderSized(<App operations={operations} installDir={installDir} cliVersion="0.1.0" hostName="box-7" />, size);
  cleanups.push(() => view.unmount());
  await waitForText(view.lastFrame, 'More…');
  await chooseMenuItem(view.stdin, view.lastFrame, 'Login');
  await press(view.stdin, keys.enter);
  return { server, view, sessionFile, allFrames: () => view.stdout.frames.map(plain).join('\n') };
}

function expectFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  expect(lines.length).toBe(rows - 1);
  for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
}

describe('the Login screen', () => {
  it('shows the whole QR code beside the link, code and countdown at 80x24, then takes a wrong PIN and the right one', async () => {
    const { server, view, sessionFile, allFrames } = await loginApp({ columns: 80, rows: 24 });
    const token = await server.waitForToken();
    const link = `http://localhost:5173/#pair=${token}`;
    const waiting = await waitForText(view.lastFrame, link, `Code ${token}`, 'Waiting for approval · expires in');
    show('waiting 80x24', waiting);
    expectFits(waiting, 80, 24);
    // Every row of the QR code is on screen, whole, in order (31 columns x 16 rows for this link).
    const qr = qrCodeLines(link);
    expect(qr.length).toBe(16);
    expect([...qr[0]!].length).toBe(31);
    const screenLines = waiting.split('\n');
    const first = screenLines.findIndex((line) => line.includes(qr[0]!));
    expect(first).toBeGreaterThan(0);
    qr.forEach((row, index) => expect(screenLines[first + index]).toContain(row));
    expect(waiting).toMatch(/expires in (5:00|4:5\d)/);
    expect(waiting.split('\n').at(-1)).toMatch(/esc cancel/);

    await server.approve(token, { pin: '482913', deviceName: 'Pixel 8' });
    await waitForText(view.lastFrame, 'Approved on Pixel 8', 'Type the PIN Pixel 8 shows: · · · · · ·');
    await press(view.stdin, '111111', keys.enter);
    const wrong = await waitForText(view.lastFrame, 'Wrong PIN: 4 attempts left');
    show('wrong PIN', wrong);
    await press(view.stdin, '4829');
    expect(plain(view.lastFrame())).toContain('• • • • · ·');
    // The rest and enter in one chunk, as a paste or tmux's send-keys delivers them.
    view.stdin.write(`13${keys.enter}`);
    const done = await waitForText(view.lastFrame, 'Logged in as ada', 'Approved on', sessionFile);
    show('logged in 80x24', done);
    expectFits(done, 80, 24);
    expect(existsSync(sessionFile)).toBe(true);

    // No frame ever showed the PIN or anything secret.
    const frames = allFrames();
    for (const secret of ['482913', '111111', server.account.masterKey, server.account.hashedEmail, server.account.lookupHash]) expect(frames).not.toContain(secret);

    await press(view.stdin, 'q');
    await waitForText(view.lastFrame, 'More…');
  });

  it('offers a fresh code with one key when the code expires', async () => {
    const { server, view } = await loginApp({ columns: 80, rows: 24 }, { tokenTtlSeconds: 1 });
    const first = await server.waitForToken(1);
    const expired = await waitForText(view.lastFrame, `The login code ${first} expired before it was approved.`, 'Press enter for a fresh code.');
    show('expired', expired);
    await press(view.stdin, keys.enter);
    const second = await server.waitForToken(2);
    expect(second).not.toBe(first);
    await waitForText(view.lastFrame, `Code ${second}`);
  });

  it('says what failed on a server error, and r tries again', async () => {
    const { server, view } = await loginApp({ columns: 80, rows: 24 });
    // The code is out; now every poll fails, until the server recovers.
    const token = await server.waitForToken();
    server.fail(/\/pair\/poll\//, 500);
    const failed = await waitForText(view.lastFrame, 'failed when asked to say whether', 'it answered 500 Internal Server Error.', 'r try again');
    show('server 500', failed);
    expectFits(failed, 80, 24);
    server.clearFaults();
    await press(view.stdin, 'r');
    await waitForText(view.lastFrame, `Code ${token}`, 'Waiting for approval');
  });

  it('says the server cannot be reached, and Esc leaves without telling the server anything', async () => {
    const { server, view } = await loginApp({ columns: 80, rows: 24 });
    await server.waitForToken();
    await waitForText(view.lastFrame, 'Waiting for approval');
    await press(view.stdin, keys.escape);
    await waitForText(view.lastFrame, 'More…');
    const sent = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.requests.length).toBe(sent);
    expect(server.requests.every((r) => r.path === '/v1/auth/pair/initiate' || r.path.startsWith('/v1/auth/pair/poll/'))).toBe(true);

    await server.close();
    await chooseMenuItem(view.stdin, view.lastFrame, 'Login');
    await press(view.stdin, keys.enter);
    const refused = await waitForText(view.lastFrame, 'connection refused (nothing listens there)', 'r try again');
    show('refused', refused);
  });

  it('says why it waits when the server rate-limits', async () => {
    const { view } = await loginApp({ columns: 80, rows: 24 }, { limits: { initiate: { count: 0, windowSeconds: 30 } } });
    const frame = await waitForText(view.lastFrame, 'The server is rate-limiting requests to give a login code', 'Trying again in 0:');
    show('rate limited', frame);
    expectFits(frame, 80, 24);
  });

  it('fits the largest code that still fits (a link of up to 78 characters: 35x18) at 80x24', async () => {
    const appOrigin = `https://app.${'x'.repeat(49)}.org`;
    const link = `${appOrigin}/#pair=ABC346`;
    expect(link.length).toBe(78);
    const qr = qrCodeLines(link);
    expect([qr.length, [...qr[0]!].length]).toEqual([18, 35]);
    const operations: Operations = {
      ...scriptedOperations().operations,
      loginStart: async (_target, sink) => {
        const code = { apiBase: 'https://api.example.org', appOrigin, token: 'ABC346', link, expiresAt: Date.now() + 300_000, expiresInSeconds: 300 };
        sink({ type: 'pair-code', token: code.token, link, apiBase: code.apiBase, appOrigin: code.appOrigin, expiresAt: new Date(code.expiresAt).toISOString(), expiresInSeconds: 300 });
        return code;
      },
      loginWaitForApproval: (_code, _sink, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('stopped')))),
    };
    const view = renderSized(<Login operations={operations} installDir="/opt/openmates" onBack={() => {}} />, { columns: 80, rows: 24 });
    cleanups.push(() => view.unmount());
    const frame = await waitForText(view.lastFrame, 'Code ABC346');
    show('largest QR 80x24', frame);
    expectFits(frame, 80, 24);
    const lines = frame.split('\n');
    const first = lines.findIndex((line) => line.includes(qr[0]!));
    qr.forEach((row, index) => expect(lines[first + index]).toContain(row));
    expect(frame).toContain(link.slice(0, 40));
  });

  it('leaves the QR code out, saying how big a terminal shows it, when it does not fit', async () => {
    const { server, view } = await loginApp({ columns: 60, rows: 20 });
    const token = await server.waitForToken();
    const frame = await waitForText(view.lastFrame, `http://localhost:5173/#pair=${token}`, 'shows the QR code');
    show('small', frame);
    expectFits(frame, 60, 20);
    expect(frame).not.toContain('▄▄▄▄▄▄▄');
  });
});
