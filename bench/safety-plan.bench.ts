/**
 * The safety checklist's cost: `openmates server reset --json` without a phrase (it lists every
 * volume the reset would delete with its size, then refuses with exit 14, deleting nothing) against
 * what a user would otherwise run to see the volumes' sizes, `docker system df -v`, on the same
 * installed test stack. Ratios below 1 mean openmates is faster.
 */
import { CLI_BIN, cliEnv, createTestStack, runCli } from '../test/e2e/harness/index.js';
import { printTable, timeCommand } from './measure.js';

export async function benchSafetyPlan(): Promise<void> {
  const stack = await createTestStack({ name: 'benchsafety' });
  try {
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    if (installed.exitCode !== 0) throw new Error(`install for the benchmark failed:\n${installed.stderr}`);
    const env = { ...process.env, ...cliEnv() } as Record<string, string>;
    const runs = 9;
    const dockerDf = await timeCommand('docker system df -v', ['docker', 'system', 'df', '-v'], { env, runs });
    const resetPlan = await timeCommand('openmates server reset --json (checklist, exit 14)', [process.execPath, CLI_BIN, 'server', 'reset', '--json', '--path', stack.installDir], { env, runs, okExitCodes: [14] });
    const uninstallPlan = await timeCommand(
      'openmates server uninstall --delete-data (exit 14)',
      [process.execPath, CLI_BIN, 'server', 'uninstall', '--delete-data', '--path', stack.installDir],
      { env, runs, okExitCodes: [14] },
    );
    printTable('Safety checklist: every volume with its size (6 services installed; lower is better)', [resetPlan, uninstallPlan], dockerDf);
  } finally {
    await stack.cleanup();
  }
}
