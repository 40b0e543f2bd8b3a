import { OpenmatesError, isOpenmatesError } from '../core/errors.js';
import type { CoreDeps } from '../core/deps.js';
import { parseCommand, type ParsedCommand } from './args.js';
import { installDirOf, type CliContext } from './context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { color } from './format.js';
import { helpText } from './help.js';
import { errorText } from './render/error-text.js';
import { jsonError, writeJsonLine } from './render/json-lines.js';

declare const OPENMATES_VERSION: string;
const cliVersion = typeof OPENMATES_VERSION === 'string' ? OPENMATES_VERSION : 'dev';

async function connectDeps(): Promise<CoreDeps> {
  const [{ connectEngine }, { detectCompose }] = await Promise.all([import('../docker/connect.js'), import('../docker/compose-cli.js')]);
  const engine = await connectEngine();
  let compose: ReturnType<typeof detectCompose> | undefined;
  return { engine, compose: () => (compose ??= detectCompose()) };
}

/**
 * docker-modem builds a URL Node 20 frowns upon for ssh:// hosts (DEP0170); the warning would
 * spoil the full-screen app and says nothing a user can act on. Other warnings still show.
 */
function quietKnownWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code !== 'DEP0170') process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
}

export async function main(argv: string[]): Promise<number> {
  quietKnownWarnings();
  color.enabled = process.stderr.isTTY === true && !process.env.NO_COLOR;
  let command: ParsedCommand;
  try {
    command = parseCommand(argv);
  } catch (error) {
    return report(error, argv.includes('--json'));
  }
  switch (command.name) {
    case 'version':
      process.stdout.write(`${cliVersion}\n`);
      return EXIT.ok;
    case 'help':
      process.stdout.write(helpText(cliVersion));
      return EXIT.ok;
    case 'app':
      return runApp(command);
    case 'run':
      return runCommand(command);
  }
}

async function runApp(options: { installDir?: string; stackFile?: string; tag?: string }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    return report(
      new OpenmatesError('usage', 'The full-screen app needs a terminal, and this is not one.', 'In scripts use the commands instead, e.g. `openmates server status` or `openmates server install --yes` (see `openmates --help`).'),
      false,
    );
  }
  // Ink draws only a final frame when CI or CONTINUOUS_INTEGRATION is set; the app runs on a
  // terminal by definition, so a CI variable left in the shell must not freeze it.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const [{ runFullScreenApp }, { createOperations }] = await Promise.all([import('../screens/run-app.js'), import('../core/create-operations.js')]);
  let deps: CoreDeps;
  try {
    deps = await connectDeps();
  } catch (error) {
    return report(error, false);
  }
  return runFullScreenApp({ operations: createOperations(deps), installDir: installDirOf(options), stackFile: options.stackFile, ...(options.tag !== undefined ? { tag: options.tag } : {}), cliVersion });
}

async function runCommand(command: Extract<ParsedCommand, { name: 'run' }>): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nStopping… (press Ctrl-C again to quit at once)\n');
      controller.abort();
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const context: CliContext = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, cliVersion, deps: connectDeps };
  try {
    return await command.spec.run(command.options as never, context);
  } catch (error) {
    const stopped = controller.signal.aborted && !isOpenmatesError(error);
    return report(stopped ? new OpenmatesError('interrupted', 'Interrupted; run the command again to finish.') : error, command.json);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function report(error: unknown, json: boolean): number {
  const exitCode = isOpenmatesError(error) ? exitCodeFor(error.kind) : EXIT.internal;
  if (json) writeJsonLine(process.stdout, jsonError(error, exitCode));
  process.stderr.write(errorText(error));
  if (!isOpenmatesError(error) && error instanceof Error && error.stack && process.env.OPENMATES_DEBUG) process.stderr.write(`${error.stack}\n`);
  return exitCode;
}
