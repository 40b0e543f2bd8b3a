import { readdir, readFile } from 'node:fs/promises';
import { sleep } from '../core/sleep.js';

const POLL_MS = 250;
const KILL_GRACE_MS = 5_000;

/**
 * Compose processes (v1 `docker-compose`, v2 `docker compose` and its plugin) working on the
 * project `-p <project>`, other than this process. Read from /proc; elsewhere there are none to see.
 */
export async function composeProcessesOf(project: string): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
      .map(async (entry) => {
        const args = await readFile(`/proc/${entry}/cmdline`, 'utf8').then(
          (text) => text.split('\0'),
          () => [] as string[],
        );
        if (isComposeFor(args, project)) found.push(Number(entry));
      }),
  );
  return found.sort((a, b) => a - b);
}

export function isComposeFor(args: readonly string[], project: string): boolean {
  const isCompose = args.some((arg) => /(^|\/)docker-compose$/.test(arg) || arg === 'compose');
  if (!isCompose) return false;
  return args.some((arg, index) => (arg === '-p' || arg === '--project-name') && args[index + 1] === project) || args.includes(`--project-name=${project}`);
}

/**
 * Waits for other Compose runs on the project to end; at the deadline they get SIGTERM, then
 * SIGKILL. Returns the pids that were running when it began.
 */
export async function waitForComposeRuns(project: string, timeoutMs: number, signal?: AbortSignal): Promise<number[]> {
  const initial = await composeProcessesOf(project);
  if (initial.length === 0) return [];
  const deadline = Date.now() + timeoutMs;
  let running = initial;
  while (running.length > 0 && Date.now() < deadline && !signal?.aborted) {
    await sleep(POLL_MS, signal);
    running = await composeProcessesOf(project);
  }
  if (running.length > 0 && !signal?.aborted) {
    signalAll(running, 'SIGTERM');
    const killAt = Date.now() + KILL_GRACE_MS;
    while (running.length > 0 && Date.now() < killAt) {
      await sleep(POLL_MS);
      running = await composeProcessesOf(project);
    }
    signalAll(running, 'SIGKILL');
  }
  return initial;
}

function signalAll(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
  }
}
