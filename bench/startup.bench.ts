/**
 * Start-up cost of the commands people and scripts run to look: `--version`, `server status --json`,
 * `whoami`, `config get`, `remote-access status` and the reset checklist, each beside its floor, Node
 * doing the same I/O with its built-ins and nothing else (bench/floors/), and status also against
 * what a user would otherwise run, `docker compose ps` (or `docker-compose ps`), on the same
 * installed test stack. Ratios below 1 mean openmates is faster.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlSocketPath } from '../src/remote/agent/control-path.js';
import { remoteStateDir, STATE_FILES } from '../src/remote/agent/state-dir.js';
import { startPairServer } from '../test/fixtures/pair-server/server.js';
import { CLI_BIN, cliEnv, composeCli, createTestStack, runCli } from '../test/e2e/harness/index.js';
import { timedLogin } from './login.bench.js';
import { printTable, timeCommand } from './measure.js';

const floor = (name: string) => fileURLToPath(new URL(`./floors/${name}`, import.meta.url));
const cli = (...args: string[]) => [process.execPath, CLI_BIN, ...args];
const filters = (filter: Record<string, string[]>) => `filters=${encodeURIComponent(JSON.stringify(filter))}`;

export async function benchStartup(): Promise<void> {
  const stack = await createTestStack({ name: 'bench' });
  const server = await startPairServer({ limits: { initiate: { count: 1000, windowSeconds: 3600 } } });
  const home = mkdtempSync(join(tmpdir(), 'omt-bench-startup-'));
  try {
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    if (installed.exitCode !== 0) throw new Error(`install for the benchmark failed:\n${installed.stderr}`);
    // Config, state (session, remote access) and cache of this benchmark's own.
    const env = { ...process.env, ...cliEnv(), XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache') } as Record<string, string>;
    const setUp = async (args: string[]) => {
      const result = await runCli(args, { env });
      if (result.exitCode !== 0) throw new Error(`openmates ${args.join(' ')} failed:\n${result.stderr}`);
    };
    await setUp(['config', 'set', 'safety-mode', 'on']);
    await setUp(['remote-access', 'devices', 'add', 'bench-phone']);
    await timedLogin(server, env);
    const socketPath = (env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');
    const engineCalls = (stages: string[][]) => [process.execPath, floor('engine-calls.cjs'), socketPath, JSON.stringify(stages)];
    const projectFilter = filters({ label: [`com.docker.compose.project=${stack.project}`] });

    const nodeFloor = await timeCommand('node -e 0', [process.execPath, '-e', '0'], { env });
    const version = await timeCommand('openmates --version', cli('--version'), { env });
    // The one Engine API call status needs most: list the project's containers.
    const nodeApi = await timeCommand('node + one Engine API call (node:http)', engineCalls([[`/containers/json?all=1&${projectFilter}`]]), { env });
    const status = await timeCommand('openmates server status --json', cli('server', 'status', '--json', '--path', stack.installDir), { env });
    const compose = await composeCli();
    const composePs = await timeCommand(
      `${compose.join(' ')} ps`,
      [...compose, '-p', stack.project, '-f', join(stack.installDir, 'docker-compose.yml'), '--env-file', join(stack.installDir, '.env'), 'ps'],
      { env },
    );
    printTable('Start-up (6 services installed; lower is better)', [version, status, composePs, nodeFloor], nodeApi);
    printTable('The same against Compose', [version, status], composePs);
    printTable('--version against bare Node', [version], nodeFloor);

    const session = JSON.parse(readFileSync(join(env.XDG_STATE_HOME!, 'openmates', 'session.json'), 'utf8')) as { sessionId: string; cookies: Record<string, string> };
    const cookie = Object.entries(session.cookies).map(([name, value]) => `${name}=${value}`).join('; ');
    const whoamiFloor = await timeCommand('node + one POST /v1/auth/session (node:http)', [process.execPath, floor('http-post.cjs'), `${server.url}/v1/auth/session`, JSON.stringify({ session_id: session.sessionId }), cookie], { env });
    const whoami = await timeCommand('openmates whoami --json', cli('whoami', '--json'), { env });
    printTable('whoami against its floor', [whoami], whoamiFloor);

    const configFloor = await timeCommand('node + read config.json', [process.execPath, floor('read-files.cjs'), join(env.XDG_CONFIG_HOME!, 'openmates', 'config.json')], { env });
    const configGet = await timeCommand('openmates config get safety-mode', cli('config', 'get', 'safety-mode'), { env });
    printTable('config get against its floor', [configGet], configFloor);

    const stateDir = remoteStateDir(env);
    const remoteFiles = [STATE_FILES.identity, STATE_FILES.devices, STATE_FILES.auditHead].map((name) => join(stateDir, name));
    const remoteFloor = await timeCommand('node + try the agent socket + read its 3 state files', [process.execPath, floor('read-files.cjs'), '--socket', controlSocketPath(stateDir, env).path, ...remoteFiles], { env });
    const remoteStatus = await timeCommand('openmates remote-access status --json (agent off)', cli('remote-access', 'status', '--json'), { env });
    printTable('remote-access status against its floor', [remoteStatus], remoteFloor);

    // The checklist: `server reset --json` without a phrase lists what it would delete, then refuses (exit 14), deleting nothing.
    const volumeNames = [...stack.dataVolumes, ...stack.cacheVolumes];
    const resetFloor = await timeCommand(
      'node + the checklist\'s Engine API calls (node:http)',
      engineCalls([
        ['/_ping'],
        [`/volumes?${filters({ name: volumeNames })}`, `/volumes?${projectFilter}`, `/containers/json?all=1&${projectFilter}`],
        ['inspect-listed', `/volumes?${filters({ name: volumeNames })}`],
        ['/system/df?type=volume'],
        [`/networks/${encodeURIComponent(stack.network)}`],
      ]),
      { env },
    );
    const dockerDf = await timeCommand('docker system df -v', ['docker', 'system', 'df', '-v'], { env });
    const resetPlan = await timeCommand('openmates server reset --json (checklist, exit 14)', cli('server', 'reset', '--json', '--path', stack.installDir), { env, okExitCodes: [14] });
    printTable('The reset checklist against its floor', [resetPlan, dockerDf], resetFloor);
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
    await stack.cleanup();
  }
}
