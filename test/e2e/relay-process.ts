import { execa, type ResultPromise } from 'execa';
import { CLI_BIN, cliEnv } from './harness/index.js';

/** A real `openmates relay` process on 127.0.0.1. */
export interface RelayProcess {
  /** Where it listens (`http://127.0.0.1:PORT/`). */
  url: string;
  port: number;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** A new process on the same port. */
  restart(): Promise<void>;
}

export async function startRelayProcess(options: { port?: number; args?: string[] } = {}): Promise<RelayProcess> {
  let output = '';
  const spawn = async (port: number): Promise<{ child: ResultPromise; url: string }> => {
    const child = execa(process.execPath, [CLI_BIN, 'relay', '--listen', `127.0.0.1:${port}`, ...(options.args ?? [])], { env: cliEnv(), extendEnv: false, stdin: 'ignore', reject: false });
    const from = output.length;
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    let match: RegExpExecArray | null = null;
    while (!(match = /Relay listening on (\S+)/.exec(output.slice(from)))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the relay did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { child, url: match[1]! };
  };
  let { child, url } = await spawn(options.port ?? 0);
  const port = Number(new URL(url).port);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null) child.kill(signal);
    await child;
  };
  return {
    url,
    port,
    output: () => output,
    stop,
    async restart() {
      await stop();
      ({ child, url } = await spawn(port));
    },
  };
}
