import { constants } from 'node:os';
import { OpenmatesError } from '../../core/errors.js';
import { parseLink } from '../../remote/link.js';
import { connect, RemoteError, type RemoteServer, type RemoteTerminal, type TerminalInfo } from '../../remote/sdk/index.js';
import type { CliContext } from '../context.js';
import { humanBytes, humanDuration, table } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { readRemoteLink } from '../remote/remote-options.js';
import { OffsetFile } from '../terminal/offset-file.js';
import { runShellSession, type SessionEnd } from '../terminal/shell-session.js';
import { sizeOf } from '../terminal/size-watch.js';
import type { RemoteShellOptions } from './remote-shell.command.js';

/** Exit code: the shell's (128 + n when signal n ended it); detached: 0 (Ctrl-]) or 128 + n for SIGTERM / SIGHUP. */
export async function remoteShellCommand(options: RemoteShellOptions, context: CliContext): Promise<number> {
  if (options.mode !== 'list' && (!process.stdin.isTTY || !process.stdout.isTTY)) {
    const which = !process.stdin.isTTY ? 'stdin' : 'stdout';
    throw new OpenmatesError('usage', `openmates remote shell needs a terminal, and its ${which} is not one.`, 'Run it from an interactive terminal (not a pipe or a script); to run one command use `openmates remote exec -- COMMAND`.');
  }
  const link = await readRemoteLink(options);
  const agentId = parseLink(link).agentId;
  const server = await connect(link, {
    signal: context.signal,
    reconnect: true,
    withHost: false,
    onApproval: (approval) => context.stderr.write(`Waiting for approval ${approval.id} on your approver device: ${approval.headline} (until ${approval.expiresAt.slice(11, 19)} UTC; Ctrl-C cancels)\n`),
  });
  const cancel = () => server.close();
  context.signal.addEventListener('abort', cancel, { once: true });
  try {
    if (options.mode === 'list') return await listTerminals(server, options.json, context);
    const { terminal, canType, after } = options.mode === 'open' ? await openTerminal(server, options, context) : await attachTerminal(server, options.id, agentId, context);
    const offsets = new OffsetFile(agentId, terminal.id);
    if (options.mode === 'open' || canType) describeStart(terminal, canType, context);
    let end: SessionEnd;
    try {
      end = await runShellSession({ terminal, connection: server.connection, canType, after, offsets, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, signal: context.signal });
    } catch (error) {
      throw sessionError(error, terminal.id);
    }
    if (end.how === 'exited') {
      offsets.remove();
      return exitCodeOf(end.exit);
    }
    context.stderr.write(
      canType
        ? `\nDetached from ${terminal.id}: it keeps running on the server (hung up when nobody attaches within its grace period, 10 minutes by default). Back to it: openmates remote shell --attach ${terminal.id}\n`
        : `\nStopped watching ${terminal.id}.\n`,
    );
    return end.why === 'key' ? 0 : 128 + (constants.signals[end.why] ?? 1);
  } finally {
    context.signal.removeEventListener('abort', cancel);
    server.close();
  }
}

async function openTerminal(server: RemoteServer, options: RemoteShellOptions, context: CliContext): Promise<{ terminal: RemoteTerminal; canType: boolean; after: number }> {
  const terminal = await server.terminal.create({ ...sizeOf(process.stdout), ...(options.shell !== undefined ? { shell: options.shell } : {}), ...(options.cwd !== undefined ? { cwd: options.cwd } : {}), signal: context.signal });
  return { terminal, canType: true, after: 0 };
}

async function attachTerminal(server: RemoteServer, id: string, agentId: string, context: CliContext): Promise<{ terminal: RemoteTerminal; canType: boolean; after: number }> {
  const terminal = await server.terminal.attach(id, { signal: context.signal });
  const canType = terminal.info.device.id === server.device.id;
  const saved = new OffsetFile(agentId, id).read();
  if (!canType) {
    context.stderr.write(`Watching ${id} read-only: it was opened by ${terminal.info.device.name}, so your keys are not sent. Ctrl-] or Ctrl-C stops watching.\r\n`);
  }
  if (terminal.info.exit) context.stderr.write(`${id} has ended already (${exitText(terminal.info.exit)}); its last output follows.\r\n`);
  // Without a saved offset the kept scrollback replays the screen.
  return { terminal, canType, after: Math.min(saved ?? 0, terminal.info.outputBytes) };
}

function describeStart(terminal: RemoteTerminal, canType: boolean, context: CliContext): void {
  if (canType) context.stderr.write(`Terminal ${terminal.id} (${terminal.info.shell} in ${terminal.info.cwd}); Ctrl-] detaches and leaves it running.\r\n`);
}

async function listTerminals(server: RemoteServer, json: boolean, context: CliContext): Promise<number> {
  const terminals = await server.terminal.list();
  if (json) {
    writeJsonLine(context.stdout, { type: 'result', terminals });
    return 0;
  }
  if (terminals.length === 0) {
    context.stdout.write('No terminals are running on the server. Open one with: openmates remote shell\n');
    return 0;
  }
  const rows = terminals.map((terminal) => [
    terminal.id,
    terminal.shell,
    terminal.cwd,
    `${terminal.cols}x${terminal.rows}`,
    terminal.device.id === server.device.id ? `${terminal.device.name} (you)` : terminal.device.name,
    terminal.attached.join(', ') || '-',
    humanBytes(terminal.outputBytes),
    `${humanDuration(terminal.startedAt)} ago`,
    terminal.exit ? exitText(terminal.exit) : 'running',
  ]);
  context.stdout.write(`${table([['ID', 'SHELL', 'FOLDER', 'SIZE', 'OPENED BY', 'WATCHING', 'OUTPUT', 'STARTED', 'STATE'], ...rows])}\n`);
  return 0;
}

function exitText(exit: TerminalInfo['exit'] & object): string {
  return exit.signal ? `ended by SIG${exit.signal.replace(/^SIG/, '')}` : `exited ${exit.exitCode}`;
}

function exitCodeOf(exit: TerminalInfo['exit'] & object): number {
  if (exit.exitCode !== null) return exit.exitCode;
  const name = `SIG${(exit.signal ?? 'HUP').replace(/^SIG/, '')}` as keyof typeof constants.signals;
  return 128 + (constants.signals[name] ?? 1);
}

/** The session's end as the user needs to read it, naming the terminal; the agent stopping is not their Ctrl-C (exit 130). */
function sessionError(error: unknown, id: string): unknown {
  const remote = RemoteError.from(error);
  const kind = remote.code === 'interrupted' ? 'operation-failed' : remote.code;
  return new OpenmatesError(kind, `The session with terminal ${id} ended: ${remote.message}`, remote.hint);
}
