/** Running node, npm and python processes: what someone started on this machine and where. */
import { basename } from 'node:path';
import { commandLine, processIds, workingFolder } from './processes.js';
import type { HostScript } from './types.js';

const SCRIPT_RUNNERS = /^(node|nodejs|npm|npx|pnpm|yarn|tsx|deno|bun|python[0-9.]*|pip[0-9.]*|uvicorn|gunicorn)$/;
const MAX_COMMAND_CHARS = 300;
const SECRET_ARGUMENT = /(token|secret|password|passwd|pwd|api[-_]?key|auth|credential|private[-_]?key)/i;

/** `--token=abc` → `--token=…`; the argument after `--password` → `…`. */
export function maskCommandLine(argv: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.indexOf('=');
    if (equals > 0 && SECRET_ARGUMENT.test(arg.slice(0, equals))) out.push(`${arg.slice(0, equals)}=…`);
    else if (/^--?[A-Za-z]/.test(arg) && equals === -1 && SECRET_ARGUMENT.test(arg) && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) {
      out.push(arg, '…');
      i++;
    } else out.push(arg);
  }
  const text = out.join(' ');
  return text.length > MAX_COMMAND_CHARS ? `${text.slice(0, MAX_COMMAND_CHARS - 1)}…` : text;
}

export async function readScripts(): Promise<HostScript[]> {
  const scripts: HostScript[] = [];
  for (const pid of await processIds()) {
    const argv = await commandLine(pid);
    if (!argv) continue;
    // npm and friends rewrite their title ("npm run dev"): the first word is the program.
    const program = basename(argv[0]!.split(' ')[0]!);
    if (!SCRIPT_RUNNERS.test(program)) continue;
    const cwd = await workingFolder(pid);
    scripts.push({ pid, command: maskCommandLine(argv), ...(cwd ? { cwd } : {}) });
  }
  return scripts;
}
