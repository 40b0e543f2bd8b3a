import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { qrCodeLines } from '../../src/auth/qr-code.js';
import { startPairServer, type PairServer, type PairServerOptions } from '../fixtures/pair-server/server.js';
import { killAllTmuxSessions, startCliInTmux, type TmuxSession, chooseMenuItem } from './harness/index.js';
import { loginHome, modeOf } from './login-harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  await killAllTmuxSessions();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(serverOptions: PairServerOptions = {}) {
  const server: PairServer = await startPairServer(serverOptions);
  cleanups.push(() => server.close().catch(() => undefined));
  const home = loginHome(server.url);
  cleanups.push(home.cleanup);
  return { server, home };
}

/** The QR code's block rows as they appear on the screen: where, how many, how wide. */
function measureQr(screen: string, expected: string[]) {
  const lines = screen.split('\n');
  const top = lines.findIndex((line) => line.includes(expected[0]!));
  const rows = expected.filter((row, index) => lines[top + index]?.includes(row)).length;
  const left = lines[top]!.indexOf(expected[0]!);
  return { top, left, rows, columns: Math.max(...expected.map((row) => [...row].length)), screenRows: lines.length, screenColumns: Math.max(...lines.map((line) => [...line].length)) };
}

async function openLogin(app: TmuxSession) {
  await app.waitForText('More…', 30_000);
  await chooseMenuItem(app, 'Login');
  await app.sendKeys('Enter');
}

describe('login in a real terminal (tmux, 80x24)', () => {
  it('the Login screen: whole QR code with link, code and countdown; wrong PIN, right PIN; logged in', async () => {
    const { server, home } = await setup();
    const app = await startCliInTmux(['--path', home.installDir], { cols: 80, rows: 24, env: home.env });
    await openLogin(app);
    const token = await server.waitForToken();
    const link = `http://localhost:5173/#pair=${token}`;
    const screen = await app.waitForText(`Code ${token}`);
    expect(screen).toContain(link);
    expect(screen).toMatch(/Waiting for approval · expires in (5:00|4:5\d)/);

    // Measured on the real terminal: the QR code is whole, and the instructions sit beside it.
    const qr = qrCodeLines(link);
    const size = measureQr(screen, qr);
    if (process.env.SHOW_FRAMES) process.stdout.write(`\n── tmux 80x24 ──\n${screen}\n${JSON.stringify(size)}\n`);
    expect(size).toMatchObject({ rows: 16, columns: 31 });
    expect(size.top + size.rows).toBeLessThanOrEqual(22); // above the footer
    expect(size.left + size.columns).toBeLessThan(80 - 36);
    expect(screen.split('\n')[size.top]).toContain('Log in from another device');

    const { pin } = await server.approve(token, { pin: '7Q2K9D', deviceName: 'Pixel 8' });
    await app.waitForText('Type the PIN Pixel 8 shows: · · · · · ·');
    await app.type('123456');
    await app.sendKeys('Enter');
    await app.waitForText('Wrong PIN: 4 attempts left');
    await app.type(pin.toLowerCase());
    expect(await app.capturePane()).not.toContain('7Q2K9D');
    await app.sendKeys('Enter');
    const done = await app.waitForText('Logged in as ada');
    expect(done).toContain(home.sessionFile);
    expect(modeOf(home.sessionFile)).toBe(0o600);
    expect(JSON.parse(readFileSync(home.sessionFile, 'utf8')).masterKey).toBe(server.account.masterKey);

    await app.sendKeys('q');
    await app.waitForText('More…');
    await app.sendKeys('q');
    expect(await app.waitForExit()).toBe(0);
  });

  it('Esc leaves the Login screen and sends nothing more', async () => {
    const { server, home } = await setup();
    const app = await startCliInTmux(['--path', home.installDir], { cols: 80, rows: 24, env: home.env });
    await openLogin(app);
    await app.waitForText('Waiting for approval');
    await app.sendKeys('Escape');
    await app.waitForText('More…');
    const sent = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(server.requests.length).toBe(sent);
    expect(existsSync(home.sessionFile)).toBe(false);
  });

  it('`openmates login` at a terminal: countdown, masked PIN prompt, and a fresh code with enter after expiry', async () => {
    const { server, home } = await setup({ tokenTtlSeconds: 3 });
    const app = await startCliInTmux(['login', '--api-url', server.url], { cols: 80, rows: 24, env: home.env });
    const first = await server.waitForToken();
    await app.waitForText(/the code expires in 0:0\d/);
    await app.waitForText(`The login code ${first} expired before it was approved.`, 10_000);
    await app.waitForText('Press enter for a fresh code, or q to stop.');
    await app.sendKeys('Enter');
    const second = await server.waitForToken(2);
    await app.waitForText(`Code ${second}`);
    const { pin } = await server.approve(second);
    await app.waitForText('PIN shown on iPhone: ······');
    await app.type(pin.slice(0, 4));
    const typing = await app.waitForText('PIN shown on iPhone: ••••··');
    expect(typing).not.toContain(pin.slice(0, 4));
    await app.type(pin.slice(4));
    await app.sendKeys('Enter');
    await app.waitForText('Logged in as ada');
    expect(await app.waitForExit()).toBe(0);
    expect(existsSync(home.sessionFile)).toBe(true);
  });
});
