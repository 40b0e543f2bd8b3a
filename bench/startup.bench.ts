/**
 * Start-up cost: `openmates --version` and `openmates server status --json` against the command a
 * user would otherwise run, `docker compose ps` (or `docker-compose ps`), on the same installed
 * test stack. Ratios below 1 mean openmates is faster.
 */
import { join } from 'node:path';
import { CLI_BIN, cliEnv, composeCli, createTestStack, runCli } from '../test/e2e/harness/index.js';
import { printTable, timeCommand } from './measure.js';

export async function benchStartup(): Promise<void> {
  const stack = await createTestStack({ name: 'bench' });
  try {
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    if (installed.exitCode !== 0) throw new Error(`install for the benchmark failed:\n${installed.stderr}`);
    const env = { ...process.env, ...cliEnv() } as Record<string, string>;
    const compose = await composeCli();
    const composePs = await timeCommand(
      `${compose.join(' ')} ps`,
      [...compose, '-p', stack.project, '-f', join(stack.installDir, 'docker-compose.yml'), '--env-file', join(stack.installDir, '.env'), 'ps'],
      { env },
    );
    const version = await timeCommand('openmates --version', [process.execPath, CLI_BIN, '--version'], { env });
    const status = await timeCommand('openmates server status --json', [process.execPath, CLI_BIN, 'server', 'status', '--json', '--path', stack.installDir], { env });
    // The floors: Node starting and doing nothing, and Node making the one Engine API call status needs most (list the project's containers).
    const nodeFloor = await timeCommand('node -e 0', [process.execPath, '-e', '0'], { env });
    const socketPath = (env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
    const listCall = `const http=require('node:http');http.get({socketPath:${JSON.stringify(socketPath)},path:'/containers/json?all=1&filters='+encodeURIComponent(JSON.stringify({label:['com.docker.compose.project=${stack.project}']}))},r=>{r.resume();r.on('end',()=>{})})`;
    const nodeApi = await timeCommand('node + one Engine API call (node:http)', [process.execPath, '-e', listCall], { env });
    printTable('Start-up (6 services installed; lower is better)', [version, status, composePs, nodeFloor], nodeApi);
    printTable('The same against Compose', [version, status], composePs);
  } finally {
    await stack.cleanup();
  }
}
