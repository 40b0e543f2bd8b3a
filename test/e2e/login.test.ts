import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { qrCodeLines } from '../../src/auth/qr-code.js';
import { startPairServer, type PairServer, type PairServerOptions } from '../fixtures/pair-server/server.js';
import { freePort, runCli } from './harness/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { loginHome, modeOf, startCli } from './login-harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(serverOptions: PairServerOptions = {}) {
  const server: PairServer = await startPairServer(serverOptions);
  cleanups.push(() => server.close().catch(() => undefined));
  const home = loginHome(server.url);
  cleanups.push(home.cleanup);
  return { server, home };
}

/** Every secret of the stand-in's account and of the stored session. */
function secrets(server: PairServer, sessionFile: string, extra: string[]): string[] {
  const session = JSON.parse(readFileSync(sessionFile, 'utf8')) as { sessionId: string; wsToken: string; cookies: Record<string, string>; masterKey: string };
  const bundle = JSON.parse(server.requests.find((r) => r.path.startsWith('/v1/auth/pair/authorize/'))!.body) as { encrypted_bundle: string };
  return [server.account.masterKey, server.account.hashedEmail, server.account.lookupHash, server.account.userEmailSalt, session.sessionId, session.wsToken, session.masterKey, bundle.encrypted_bundle, ...Object.values(session.cookies), ...extra];
}

describe('openmates login / whoami / logout through flags', () => {
  it('logs in with --json --pin-stdin (a wrong PIN, then the right one), stores the session 0600/0700, whoami, logout', async () => {
    const { server, home } = await setup();
    const cli = startCli(['login', '--api-url', server.url, '--json', '--pin-stdin'], home.env);

    const code = await cli.waitForEvent('pair-code');
    const token = server.latestToken()!;
    expect(code).toMatchObject({ token, link: `http://localhost:5173/#pair=${token}`, apiBase: server.url, expiresInSeconds: 300 });
    expect(code.qr).toEqual(qrCodeLines(code.link as string));
    expect((code.qr as string[]).length).toBe(16);

    const { pin } = await server.approve(token, { deviceName: 'Pixel 8' });
    expect(await cli.waitForEvent('pair-approved')).toEqual({ type: 'pair-approved', device: 'Pixel 8' });
    const wrong = pin === '000000' ? '000001' : '000000';
    cli.writeLine(wrong);
    expect(await cli.waitForEvent('pin-rejected')).toEqual({ type: 'pin-rejected', attemptsLeft: 4 });
    cli.writeLine(`${pin.slice(0, 3)} ${pin.slice(3)}`); // as the web app shows it
    const result = await cli.done();
    expect(result.exitCode, result.stderr).toBe(0);
    expect(finalObject(result.stdout)).toMatchObject({ type: 'result', loggedIn: true, username: 'ada', authorizedBy: 'Pixel 8', apiBase: server.url, sessionFile: home.sessionFile });

    expect(modeOf(home.sessionFile)).toBe(0o600);
    expect(modeOf(home.sessionFile.replace(/\/session\.json$/, ''))).toBe(0o700);
    const whoami = await runCli(['whoami', '--json'], { env: home.env });
    expect(whoami.exitCode).toBe(0);
    expect(finalObject(whoami.stdout)).toMatchObject({ loggedIn: true, username: 'ada', apiBase: server.url });

    // Nothing secret in any output: not the PIN, the bundle, the key, the cookies, the tokens.
    const everything = [result.stdout, result.stderr, whoami.stdout, whoami.stderr].join('\n');
    for (const secret of secrets(server, home.sessionFile, [pin, wrong])) expect(everything).not.toContain(secret);

    const logout = await runCli(['logout', '--json'], { env: home.env });
    expect(logout.exitCode).toBe(0);
    expect(finalObject(logout.stdout)).toMatchObject({ wasLoggedIn: true, serverNotified: true, sessionFile: home.sessionFile });
    expect(existsSync(home.sessionFile)).toBe(false);
    expect(server.requests.at(-1)!.path).toBe('/v1/auth/logout');
    expect(server.sessions.size).toBe(1); // only the phone's own session is left

    const after = await runCli(['whoami'], { env: home.env });
    expect(after.exitCode).toBe(15);
    expect(after.stderr).toContain(`Not logged in: there is no session in ${home.sessionFile}.`);
  });

  it('takes the API from the installed instance and shows the QR code, link and code on stderr', async () => {
    const { server, home } = await setup();
    const cli = startCli(['login', '--path', home.installDir, '--pin-stdin'], home.env);
    const token = await server.waitForToken();
    const { pin } = await server.approve(token);
    cli.writeLine(pin);
    const result = await cli.done();
    expect(result.exitCode, result.stderr).toBe(0);
    for (const row of qrCodeLines(`http://localhost:5173/#pair=${token}`)) expect(result.stderr).toContain(row);
    expect(result.stderr).toContain(`http://localhost:5173/#pair=${token}`);
    expect(result.stderr).toContain(`Code ${token}`);
    expect(result.stderr).toMatch(/Waiting for approval; the code expires in 5:00/);
    expect(result.stderr).toContain('✓ Approved on iPhone.');
    expect(result.stdout).toContain(`✓ Logged in as ada at ${server.url}`);
    expect(result.stdout + result.stderr).not.toContain(pin);
  });

  it('fails with 15 after five wrong PINs, the code destroyed', async () => {
    const { server, home } = await setup();
    const cli = startCli(['login', '--api-url', server.url, '--json', '--pin-stdin'], home.env);
    await cli.waitForEvent('pair-code');
    await server.approve(server.latestToken()!, { pin: 'Q7Q7Q7' });
    await cli.waitForEvent('pair-approved');
    for (let i = 0; i < 5; i++) cli.writeLine('ABCDEF');
    const result = await cli.done();
    expect(result.exitCode).toBe(15);
    expect(jsonLines(result.stdout).filter((e) => e.type === 'pin-rejected').map((e) => e.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(finalObject(result.stdout)).toMatchObject({ type: 'error', kind: 'login-failed', exitCode: 15 });
    expect(result.stderr).toContain(`the server destroyed the login code ${server.latestToken()}`);
    expect(existsSync(home.sessionFile)).toBe(false);
  });

  it('fails with 15 when the code expires while waiting for approval', async () => {
    const { server, home } = await setup({ tokenTtlSeconds: 2 });
    const result = await startCli(['login', '--api-url', server.url, '--pin-stdin'], home.env).done();
    expect(result.exitCode).toBe(15);
    expect(result.stderr).toContain(`✗ The login code ${server.latestToken()} expired before it was approved.`);
    expect(result.stderr).toContain('Waiting for approval; the code expires in 0:02');
  });

  it('names the cause when the server fails (500) or nothing listens (connection refused), exit 6', async () => {
    const { server, home } = await setup();
    server.fail(/\/pair\/initiate$/, 500);
    const failed = await runCli(['login', '--api-url', server.url, '--pin-stdin'], { env: home.env });
    expect(failed.exitCode).toBe(6);
    expect(failed.stderr).toContain(`✗ The OpenMates API at ${server.url} failed when asked to give a login code: it answered 500 Internal Server Error.`);

    const closed = `http://127.0.0.1:${await freePort()}`;
    const refused = await runCli(['login', '--api-url', closed, '--json', '--pin-stdin'], { env: home.env });
    expect(refused.exitCode).toBe(6);
    expect(finalObject(refused.stdout)).toMatchObject({ kind: 'operation-failed', message: `Cannot reach the OpenMates API at ${closed} to give a login code: connection refused (nothing listens there).` });
  });

  it('without a terminal and without --pin-stdin, stops at once with 9 naming the flag (nothing asked of the server)', async () => {
    const { server, home } = await setup();
    const result = await runCli(['login', '--api-url', server.url, '--json'], { env: home.env });
    expect(result.exitCode).toBe(9);
    expect(finalObject(result.stdout)).toMatchObject({ kind: 'needs-answer', exitCode: 9 });
    expect(result.stderr).toContain('Pass --pin-stdin');
    expect(server.requests).toEqual([]);
    expect((await runCli(['login', '--pin', '123456'], { env: home.env })).exitCode).toBe(2);
  });

  it('logout deletes the session file even when the server cannot be told', async () => {
    const { server, home } = await setup();
    const cli = startCli(['login', '--api-url', server.url, '--pin-stdin'], home.env);
    const { pin } = await server.approve(await server.waitForToken());
    cli.writeLine(pin);
    expect((await cli.done()).exitCode).toBe(0);
    await server.close();
    const logout = await runCli(['logout'], { env: home.env });
    expect(logout.exitCode).toBe(0);
    expect(logout.stdout).toContain('The server was not told (Cannot reach the OpenMates API');
    expect(logout.stdout).toContain(`✓ Deleted ${home.sessionFile}.`);
    expect(existsSync(home.sessionFile)).toBe(false);
  });
});
