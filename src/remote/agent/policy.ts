import type { OpName } from '../protocol/ops.js';

/**
 * What a request does to the machine, as the safety gate sees it. 'decision': deciding or
 * watching approvals, which never waits for one (the handlers refuse operator devices).
 * 'restore': an undo, which only puts a recorded previous state back (refusing when the file
 * changed since), so it needs no approval either. 'terminal': opening a shell, approved once as
 * a whole (what is typed into it is not checked line by line); 'terminal-input': typing into,
 * resizing, signalling or closing one, which only the device that opened it may do.
 * 'isolated-run': starting or cancelling a run in a throw-away container with no host mounts and
 * no network, which cannot touch the host (a run with network access is a 'change').
 */
export type ActionClass = 'read' | 'change' | 'service-change' | 'decision' | 'restore' | 'terminal' | 'terminal-input' | 'isolated-run';

export interface CommandRiskInfo {
  risk: 'read' | 'change' | 'destructive';
  reasons: string[];
  category: string;
}

export type CommandClassifier = (command: string) => CommandRiskInfo;

const OP_CLASS: Record<Exclude<OpName, 'exec'>, ActionClass> = {
  host: 'read',
  'agent.info': 'read',
  'files.list': 'read',
  'files.stat': 'read',
  'files.read': 'read',
  'files.search': 'read',
  'files.write': 'change',
  'files.mkdir': 'change',
  'files.copy': 'change',
  'files.move': 'change',
  'files.remove': 'change',
  'terminal.create': 'terminal',
  'terminal.list': 'read',
  'terminal.attach': 'read',
  'terminal.history': 'read',
  'terminal.write': 'terminal-input',
  'terminal.resize': 'terminal-input',
  'terminal.signal': 'terminal-input',
  'terminal.close': 'terminal-input',
  'runs.create': 'isolated-run',
  'runs.list': 'read',
  'runs.status': 'read',
  'runs.logs': 'read',
  'runs.cancel': 'isolated-run',
  'server.status': 'read',
  'server.logs': 'read',
  'server.start': 'service-change',
  'server.stop': 'service-change',
  'server.restart': 'service-change',
  'server.update': 'service-change',
  'undo.list': 'read',
  'undo.apply': 'restore',
  'audit.recent': 'read',
  'approvals.list': 'decision',
  'approvals.decide': 'decision',
  'approvals.watch': 'decision',
};

/** A command is a read only when the classifier is sure it is; anything else changes something. */
export function classifyRequest(op: OpName, args: unknown, classifyCommand: CommandClassifier): ActionClass {
  if (op === 'runs.create') return (args as { network?: unknown }).network === 'bridge' ? 'change' : 'isolated-run';
  if (op !== 'exec') return OP_CLASS[op];
  const command = (args as { command?: unknown }).command;
  if (typeof command !== 'string') return 'change';
  return classifyCommand(command).risk === 'read' ? 'read' : 'change';
}

/**
 * The safety gate: with safety mode on, every change and service change waits for a person's
 * approval (approvals/approval-gate.ts); reads and decisions never wait. Reset and uninstall are
 * not offered remotely at all.
 */
export function needsApproval(action: ActionClass, safetyMode: boolean): boolean {
  return safetyMode && (action === 'change' || action === 'service-change' || action === 'terminal');
}
