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
    printTable('Start-up (6 services installed; lower is better)', [version, status], composePs);
  } finally {
    await stack.cleanup();
  }
}
