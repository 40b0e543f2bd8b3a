import { OpenmatesError } from '../../core/errors.js';
import { controlSocketApprovals } from '../../remote/agent/control-approvals.js';
import type { Approval } from '../../remote/protocol/approvals.js';
import type { CliContext } from '../context.js';
import { color } from '../format.js';
import { writeJsonLine } from '../render/json-lines.js';
import { approvalLines } from '../render/approval-lines.js';
import type { RemoteAccessApprovalsOptions } from './remote-access-approvals.command.js';
import { sleep } from '../../core/sleep.js';

/** How often --follow asks the agent (the control socket answers one request per connection). */
export const FOLLOW_POLL_MS = 300;

function notRunning(): OpenmatesError {
  return new OpenmatesError('usage', 'No remote-access agent is running here, so nothing waits for approval.', 'Start it with `openmates remote-access start`.');
}

const agent = () => controlSocketApprovals({ via: 'cli' });

async function listApprovals(): Promise<Approval[]> {
  const answer = await agent().list();
  if (answer === undefined) throw notRunning();
  return answer;
}

/** `remote-access approvals [--json] [--follow]`. */
export async function approvalsListCommand(options: RemoteAccessApprovalsOptions, context: CliContext): Promise<number> {
  const print = (approval: Approval) => (options.json ? writeJsonLine(context.stdout, { type: 'approval', ...approval }) : context.stdout.write(`${approvalLines(approval).join('\n')}\n\n`));
  const approvals = await listApprovals();
  if (!options.follow) {
    if (options.json) writeJsonLine(context.stdout, { type: 'result', approvals });
    else if (approvals.length === 0) context.stderr.write('Nothing waits for approval.\n');
    else for (const approval of approvals) print(approval);
    return 0;
  }
  // Follow: what is there now, then every approval whose state changes, until Ctrl-C.
  const seen = new Map<string, string>();
  for (const approval of approvals.slice().reverse()) {
    seen.set(approval.id, approval.state);
    print(approval);
  }
  if (!options.json && approvals.length === 0) context.stderr.write('Nothing waits for approval yet; following (Ctrl-C ends).\n');
  while (!context.signal.aborted) {
    await sleep(FOLLOW_POLL_MS, context.signal);
    if (context.signal.aborted) break;
    let current: Approval[];
    try {
      current = await listApprovals();
    } catch (error) {
      if (error instanceof OpenmatesError && error.kind === 'usage') {
        context.stderr.write('The agent stopped.\n');
        return 0;
      }
      throw error;
    }
    for (const approval of current.slice().reverse()) {
      if (seen.get(approval.id) === approval.state) continue;
      seen.set(approval.id, approval.state);
      print(approval);
    }
  }
  return 0;
}

/** `remote-access approve ID [--for-session]` / `deny ID [--reason TEXT]`: reads the approval first, so the decision carries the hash of what was shown. */
export async function approvalsDecideCommand(decision: 'approve' | 'deny', options: RemoteAccessApprovalsOptions, context: CliContext): Promise<number> {
  const approval = (await listApprovals()).find((item) => item.id === options.id);
  if (!approval) throw new OpenmatesError('usage', `There is no approval ${JSON.stringify(options.id)} (pending or recently decided).`, 'List them with `openmates remote-access approvals`.');
  const decided = await agent().decide({ id: approval.id, hash: approval.hash, decision, ...(options.forSession ? { forSession: true } : {}), ...(options.reason !== undefined ? { reason: options.reason } : {}) });
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ...decided });
  else context.stdout.write(`${decision === 'approve' ? color.green('✓ Approved') : color.red('✗ Denied')}${decided.forSession ? ' for the session' : ''}: ${decided.headline}\n`);
  return 0;
}
