/**
 * Login costs, measured on the built CLI. `openmates whoami --json` against what a user would
 * otherwise run to check a session: one `curl` POST to /v1/auth/session with the same cookies.
 * And the one wait a user feels after approving: from the PIN written to `openmates login` until
 * it exits logged in (PBKDF2 with 100000 iterations, AES-GCM, /auth/login, the 0600 write).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startPairServer, type PairServer } from '../test/fixtures/pair-server/server.js';
import { CLI_BIN } from '../test/e2e/harness/cli.js';
import { printTable, timeCommand } from './measure.js';

/** One login through the CLI; returns ms from writing the PIN to the process's exit. */
export async function timedLogin(server: PairServer, env: Record<string, string>): Promise<number> {
  const child = execa(process.execPath, [CLI_BIN, 'login', '--api-url', server.url, '--json', '--pin-stdin'], { env, stdin: 'pipe', reject: false });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const token = await server.waitForToken(server.issued.length + 1);
  const { pin } = await server.approve(token);
  while (!stdout.includes('"pair-approved"')) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  child.stdin?.write(`${pin}\n`);
  const result = await child;
  if (result.exitCode !== 0) throw new Error(`the benchmark login failed (${result.exitCode}): ${String(result.stderr).slice(0, 300)}`);
  return performance.now() - started;
}

export async function benchLogin(): Promise<void> {
  const server = await startPairServer({ limits: { initiate: { count: 1000, windowSeconds: 3600 } } });
  const home = mkdtempSync(join(tmpdir(), 'omt-bench-login-'));
  try {
    const env = { ...process.env, XDG_STATE_HOME: home, NO_COLOR: '1' } as Record<string, string>;
    const samples: number[] = [];
    for (let run = 0; run < 6; run++) {
      const ms = await timedLogin(server, env);
      if (run > 0) samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    console.log(`\nLogin: from the PIN to \`openmates login\` exiting logged in, median of ${samples.length}: ${samples[Math.floor(samples.length / 2)]!.toFixed(0)} ms (min ${samples[0]!.toFixed(0)} ms)`);

    const session = JSON.parse(readFileSync(join(home, 'openmates', 'session.json'), 'utf8')) as { sessionId: string; cookies: Record<string, string> };
    const cookie = Object.entries(session.cookies)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const curl = await timeCommand('curl POST /v1/auth/session', ['curl', '-sf', '-X', 'POST', '-H', 'content-type: application/json', '-H', `cookie: ${cookie}`, '-d', JSON.stringify({ session_id: session.sessionId }), `${server.url}/v1/auth/session`], { env });
    const whoami = await timeCommand('openmates whoami --json', [process.execPath, CLI_BIN, 'whoami', '--json'], { env });
    printTable('Checking the session (lower is better)', [whoami], curl);
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}
