import { spawn } from 'node:child_process';

/**
 * A run's deadline must hold without the process that started it (a CLI killed, an agent
 * restarted): a detached `openmates runs supervise ID` waits for the run and kills it then.
 * `cliScript` is this CLI's entry point (the running `openmates`, by default).
 */
export function superviseInBackground(id: string, cliScript: string | undefined = process.argv[1]): void {
  if (!cliScript) return;
  const child = spawn(process.execPath, [cliScript, 'runs', 'supervise', id], { detached: true, stdio: 'ignore', env: process.env });
  child.on('error', () => undefined);
  child.unref();
}
