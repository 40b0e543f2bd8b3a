import type { CliContext } from '../context.js';
import { writeJsonLine } from '../render/json-lines.js';
import { withRemoteServer } from '../remote/with-server.js';
import type { RemoteExecOptions } from './remote-exec.command.js';

/** Exit code: the command's; 124 when it timed out, 128 + n when a signal ended it (as a shell reports them). */
export async function remoteExecCommand(options: RemoteExecOptions, context: CliContext): Promise<number> {
  return withRemoteServer(options, context, async (server) => {
    const run = server.exec(options.command, {
      signal: context.signal,
      ...(Object.keys(options.env).length > 0 ? { env: options.env } : {}),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.session !== undefined ? { session: options.session } : {}),
      ...(options.timeout !== undefined ? { timeoutSeconds: options.timeout } : {}),
    });
    for await (const output of run) {
      if (options.json) writeJsonLine(context.stdout, { type: 'output', ...output });
      else (output.stream === 'stdout' ? context.stdout : context.stderr).write(output.text);
    }
    const result = await run.result;
    if (options.json) writeJsonLine(context.stdout, { type: 'result', ...result });
    if (result.timedOut) {
      if (!options.json) context.stderr.write(`The command was stopped after its timeout (${options.timeout} s).\n`);
      return 124;
    }
    if (result.exitCode === null) return 128 + (signalNumber(result.signal) ?? 1);
    return result.exitCode;
  }, { reconnect: true });
}

function signalNumber(name: string | undefined): number | undefined {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return name ? numbers[name] : undefined;
}
