import type { RunInfo } from '../../../remote/sdk/index.js';
import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { ageText } from '../format.js';

/** Lines of a run's output kept on the page. */
const KEEP_LINES = 1000;

const TONE: Record<RunInfo['status'], string> = { created: 'wait', running: 'wait', succeeded: 'ok', failed: 'error', cancelled: 'info', 'timed out': 'error' };

function durationText(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The server's isolated runs (`openmates run`): the list, a run's live output, and Cancel for a running one. */
export function runsView(context: AppContext) {
  const list = h('ul', { class: 'rows', id: 'run-list', 'aria-label': 'Runs' });
  const state = h('p', { class: 'quiet', id: 'runs-state' });
  const detail = h('div', { id: 'run-detail', hidden: true });
  const root = h('section', { class: 'card', 'aria-labelledby': 'runs-title', id: 'runs' }, h('h2', { id: 'runs-title' }, 'Runs'), state, list, detail);
  let following: AbortController | undefined;
  let openId: string | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const stopFollowing = () => {
    following?.abort();
    following = undefined;
  };

  const row = (run: RunInfo) =>
    h(
      'li',
      {},
      h(
        'button',
        { class: 'row-button row', type: 'button', 'data-run': run.id, 'data-status': run.status, onclick: () => void open(run.id) },
        h('span', { class: 'row-main' }, h('strong', {}, run.command.join(' ')), h('br'), h('span', { class: 'quiet' }, `${run.id} · ${run.repo}@${run.branch} · ${ageText(run.startedAt ?? run.createdAt)}${run.durationMs !== undefined ? ` · ${durationText(run.durationMs)}` : ''}`)),
        h('span', { class: `badge ${TONE[run.status]}` }, run.exitCode === undefined ? run.status : `${run.status} · ${run.exitCode}`),
      ),
    );

  const refresh = async () => {
    try {
      const runs = await context.server.runs.list();
      state.textContent = runs.length === 0 ? 'No runs yet. Start one on the server with `openmates run -- COMMAND`, or with the SDK.' : '';
      show(list, ...runs.map(row));
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      state.textContent = `Runs: ${errorText(error)}`;
      state.className = 'error';
    }
    timer ??= setInterval(() => {
      if (!root.hidden && document.visibilityState === 'visible' && context.server.connection.state.state === 'connected') void refresh();
    }, 3000);
  };

  const open = async (id: string) => {
    stopFollowing();
    openId = id;
    const controller = new AbortController();
    following = controller;
    const output = h('pre', { class: 'file-text logs', id: 'run-output', tabindex: '0', 'aria-live': 'polite' });
    const end = h('p', { class: 'quiet', id: 'run-end' }, 'Following…');
    const cancel = h('button', { class: 'button', type: 'button', id: 'run-cancel', onclick: () => void cancelRun(id, cancel) }, 'Cancel this run');
    detail.hidden = false;
    show(detail, h('h3', {}, `Run ${id}`), cancel, output, end);
    const lines: string[] = [''];
    try {
      const stream = context.server.runs.logs(id, { follow: true, signal: controller.signal });
      for await (const piece of stream) {
        const parts = piece.text.split('\n');
        lines[lines.length - 1] = `${lines.at(-1) ?? ''}${parts[0] ?? ''}`;
        lines.push(...parts.slice(1));
        if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES);
        output.textContent = lines.join('\n');
        output.scrollTop = output.scrollHeight;
      }
      const run = await stream.result;
      cancel.hidden = true;
      end.textContent = `The run ${run.status}${run.exitCode === undefined ? '' : ` with exit code ${run.exitCode}`}${run.durationMs !== undefined ? ` after ${durationText(run.durationMs)}` : ''}.`;
      end.className = TONE[run.status];
      void refresh();
    } catch (error) {
      if (controller.signal.aborted) return;
      if (context.server.closed) return context.lost(error);
      end.textContent = `Output: ${errorText(error)}`;
      end.className = 'error';
    }
  };

  const cancelRun = async (id: string, button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      const run = await context.server.runs.cancel(id);
      context.notify(`Run ${run.id} ${run.status === 'cancelled' ? 'cancelled' : `had already ended (${run.status})`}.`, 'ok');
    } catch (error) {
      button.disabled = false;
      context.notify(`Cancel: ${errorText(error)}`, 'error');
    }
  };

  const stop = () => {
    stopFollowing();
    clearInterval(timer);
    timer = undefined;
    if (openId) detail.hidden = true;
  };
  return { root, refresh, stop };
}
