import { OpenmatesError } from '../../core/errors.js';
import type { OpName } from '../protocol/ops.js';

/** What a request does to the machine, as the safety gate sees it. 'restore': an undo, which only puts a recorded previous state back. */
export type ActionClass = 'read' | 'change' | 'service-change' | 'restore';

export interface CommandRiskInfo {
  risk: 'read' | 'change' | 'destructive';
  reasons: string[];
  category: string;
}

export type CommandClassifier = (command: string) => CommandRiskInfo;

const OP_CLASS: Record<Exclude<OpName, 'exec'>, ActionClass> = {
  host: 'read',
  'files.list': 'read',
  'files.stat': 'read',
  'files.read': 'read',
  'files.search': 'read',
  'files.write': 'change',
  'files.mkdir': 'change',
  'files.copy': 'change',
  'files.move': 'change',
  'files.remove': 'change',
  'server.status': 'read',
  'server.logs': 'read',
  'server.start': 'service-change',
  'server.stop': 'service-change',
  'server.restart': 'service-change',
  'server.update': 'service-change',
  'undo.list': 'read',
  'undo.apply': 'restore',
};

/** A command is a read only when the classifier is sure it is; anything else changes something. */
export function classifyRequest(op: OpName, args: unknown, classifyCommand: CommandClassifier): ActionClass {
  if (op !== 'exec') return OP_CLASS[op];
  const command = (args as { command?: unknown }).command;
  if (typeof command !== 'string') return 'change';
  return classifyCommand(command).risk === 'read' ? 'read' : 'change';
}

export const NEEDS_APPROVAL_MESSAGE = 'needs approval: safety mode is on (approvals come in a later version; --dev-server runs without it)';

/**
 * The safety gate: with safety mode on, nothing but a read runs (approvals arrive with the next
 * issue). Returns normally when the request may run.
 */
export function checkSafetyGate(action: ActionClass, safetyMode: boolean): void {
  // An undo only puts back what the journal recorded (refusing when the file changed since), so it needs no approval.
  if (safetyMode && action !== 'read' && action !== 'restore') {
    throw new OpenmatesError('refused', NEEDS_APPROVAL_MESSAGE, 'Start the agent with --dev-server on a machine where accidental changes do no harm, or run `openmates config set safety-mode off`.');
  }
}
