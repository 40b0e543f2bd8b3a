import type { Approval } from '../../../remote/sdk/index.js';
import { approvalDiff, approvalFacts, detailLines, forSessionLine, forSessionRefusal, undoLine, type ApprovalLine } from '../../../remote/protocol/approval-text.js';
import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';

function line(item: ApprovalLine) {
  return h('p', { class: `line ${item.style}` }, item.label ? h('span', { class: 'label' }, `${item.label}: `) : '', item.text);
}

type Decide = (approval: Approval, decision: 'approve' | 'deny', buttons: HTMLButtonElement[], forSession: boolean) => void;

function card(approval: Approval, decide: Decide) {
  const diff = approvalDiff(approval.details);
  const pending = approval.state === 'pending';
  const approve = h('button', { class: 'button big approve', type: 'button', 'data-decide': 'approve' }, 'Approve');
  const deny = h('button', { class: 'button big deny', type: 'button', 'data-decide': 'deny' }, 'Deny');
  // Offered only where the agent allows it (never a recursive delete, a destructive command or an update): it would refuse anyway.
  const session = forSessionLine(approval);
  const forSession = session && h('button', { class: 'button secondary wide', type: 'button', 'data-decide': 'approve-session' }, 'Approve for this session');
  const buttons = [approve, deny, ...(forSession ? [forSession] : [])];
  approve.addEventListener('click', () => decide(approval, 'approve', buttons, false));
  deny.addEventListener('click', () => decide(approval, 'deny', buttons, false));
  forSession?.addEventListener('click', () => decide(approval, 'approve', buttons, true));
  return h(
    'article',
    { class: `approval ${approval.state}`, 'data-approval': approval.id, 'data-state': approval.state },
    h('h3', {}, approval.headline),
    h('dl', { class: 'facts' }, ...approvalFacts(approval, Date.now()).map((fact) => h('div', { class: 'fact' }, h('dt', {}, fact.label), h('dd', {}, fact.value)))),
    ...detailLines(approval.details).map(line),
    diff.length > 0 && h('pre', { class: 'diff' }, ...diff.map((item) => h('span', { class: `line ${item.style}` }, `${item.text}\n`))),
    line(undoLine(approval)),
    pending && h('div', { class: 'actions decide' }, approve, deny),
    pending && session && h('div', { class: 'for-session' }, line(session), forSession),
    pending && !approval.forSessionAllowed && line({ text: forSessionRefusal(approval) ?? '', style: 'dim' }),
  );
}

/**
 * The approvals inbox (approver devices): every pending request as it comes (approvals.watch),
 * with its explainer and two big buttons. `onPending` hears how many wait (the tab's badge).
 */
export function approvalsView(context: AppContext, onPending: (count: number) => void) {
  const list = h('div', { id: 'approval-list' }, h('p', { class: 'quiet' }, 'Nothing waits for approval.'));
  const root = h('section', { class: 'card', 'aria-labelledby': 'approvals-title', id: 'approvals' }, h('h2', { id: 'approvals-title' }, 'Approvals'), list);
  const known = new Map<string, Approval>();

  const decide: Decide = async (approval, decision, buttons, forSession) => {
    for (const button of buttons) button.disabled = true;
    try {
      const decided = await context.server.approvals.decide({ id: approval.id, hash: approval.hash, decision, ...(forSession ? { forSession: true } : {}) });
      known.set(decided.id, decided);
      render();
      context.notify(`${decision === 'approve' ? (decided.forSession ? 'Approved for the session' : 'Approved') : 'Denied'}: ${approval.headline}`, decision === 'approve' ? 'ok' : 'info');
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      for (const button of buttons) button.disabled = false;
      context.notify(`Could not decide ${approval.id}: ${errorText(error)}`, 'error');
    }
  };

  const render = () => {
    const all = [...known.values()].sort((a, b) => Number(b.state === 'pending') - Number(a.state === 'pending') || b.requestedAt.localeCompare(a.requestedAt));
    const pending = all.filter((approval) => approval.state === 'pending').length;
    onPending(pending);
    if (all.length === 0) return show(list, h('p', { class: 'quiet' }, 'Nothing waits for approval.'));
    show(list, ...all.slice(0, 30).map((approval) => card(approval, (a, d, b, f) => void decide(a, d, b, f))));
  };

  const watching = new AbortController();
  const watch = async () => {
    try {
      for (const approval of await context.server.approvals.list()) known.set(approval.id, approval);
      render();
      for await (const approval of context.server.approvals.watch({ signal: watching.signal })) {
        known.set(approval.id, approval);
        render();
      }
    } catch (error) {
      if (watching.signal.aborted) return;
      if (context.server.closed) return context.lost(error);
      show(list, h('p', { class: 'error' }, `Approvals: ${errorText(error)}`));
    }
  };
  void watch();
  return { root, stop: () => watching.abort() };
}
