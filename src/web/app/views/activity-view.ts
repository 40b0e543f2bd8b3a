import type { AuditLine } from '../../../remote/sdk/index.js';
import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { ageText } from '../format.js';

const PAGE = 50;

/** What became of a request, in a word and a tone (a refusal's reason goes on its own line). */
function outcome(record: AuditLine): { text: string; tone: 'ok' | 'error' } {
  if (record.decision === 'refused') return { text: 'refused', tone: 'error' };
  return record.result === 'ok' ? { text: 'ok', tone: 'ok' } : { text: `error ${record.code ?? ''}`.trim(), tone: 'error' };
}

function entry(record: AuditLine) {
  const result = outcome(record);
  return h(
    'li',
    { class: 'activity', 'data-seq': String(record.seq), 'data-op': record.op },
    h('p', { class: 'activity-head' }, h('span', { class: 'activity-op' }, record.op), ' ', h('span', { class: `badge ${result.tone}` }, result.text)),
    record.target && h('p', { class: 'path' }, record.target),
    record.reason && h('p', { class: 'line danger' }, record.reason),
    h('p', { class: 'quiet' }, `${record.device.name} (${record.role}) · `, h('time', { datetime: record.time, title: new Date(record.time).toLocaleString() }, ageText(record.time))),
    record.approval && h('p', { class: 'quiet' }, `Approval ${record.approval.id}: ${record.approval.decision} by ${record.approval.by}`),
  );
}

/** The recent activity: the agent's audit log, newest first (audit.recent, for every device), and older pages on request. */
export function activityView(context: AppContext) {
  const list = h('ol', { class: 'rows', id: 'activity-list' });
  const status = h('p', { class: 'quiet', id: 'activity-status' }, 'Loading…');
  const older = h('button', { class: 'button secondary', type: 'button', id: 'activity-older', hidden: true }, 'Show older');
  const reload = h('button', { class: 'button secondary', type: 'button', id: 'activity-refresh' }, 'Refresh');
  const root = h('section', { class: 'card', 'aria-labelledby': 'activity-title', id: 'activity' }, h('h2', { id: 'activity-title' }, 'Recent activity'), status, list, h('div', { class: 'actions' }, reload, older));
  let oldest: number | undefined;

  const load = async (page: 'newest' | 'older') => {
    try {
      const answer = await context.server.audit.recent({ limit: PAGE, ...(page === 'older' && oldest !== undefined ? { before: oldest } : {}) });
      if (page === 'newest') show(list);
      list.append(...answer.records.map(entry));
      oldest = answer.records.at(-1)?.seq ?? oldest;
      older.hidden = !answer.more;
      status.className = 'quiet';
      status.textContent = list.childElementCount === 0 ? 'No remote requests yet.' : `The latest ${list.childElementCount} requests, newest first.`;
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      status.textContent = `Activity: ${errorText(error)}`;
      status.className = 'error';
    }
  };
  older.addEventListener('click', () => void load('older'));
  reload.addEventListener('click', () => void load('newest'));
  return { root, refresh: () => load('newest') };
}
