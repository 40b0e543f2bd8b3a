import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';

/** Lines kept on the page: a phone shows the recent past, not the whole history. */
const KEEP_LINES = 500;

/** Live logs of the stack (server.logs with follow), all services or one. */
export function logsView(context: AppContext) {
  const filter = h('select', { class: 'select', id: 'log-service', 'aria-label': 'Service' }, h('option', { value: '' }, 'All services'));
  const output = h('pre', { class: 'file-text logs', id: 'log-lines', tabindex: '0', 'aria-live': 'polite' });
  const state = h('p', { class: 'quiet', id: 'log-state' });
  const root = h('section', { class: 'card', 'aria-labelledby': 'logs-title', id: 'logs' }, h('h2', { id: 'logs-title' }, 'Logs'), filter, state, output);
  let following: AbortController | undefined;
  let services: string[] = [];

  const stop = () => {
    following?.abort();
    following = undefined;
  };

  const follow = async () => {
    stop();
    const controller = new AbortController();
    following = controller;
    const lines: string[] = [];
    show(output);
    state.textContent = 'Following…';
    try {
      const stream = context.server.server.logs({ follow: true, tail: 100, signal: controller.signal, ...(filter.value ? { services: [filter.value] } : {}) });
      for await (const event of stream) {
        const entry = event as { type?: string; service?: string; text?: string };
        if (entry.type !== 'log') continue;
        lines.push(`${entry.service ?? '?'} | ${entry.text ?? ''}`);
        if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES);
        output.textContent = lines.join('\n');
        output.scrollTop = output.scrollHeight;
      }
      if (!controller.signal.aborted) state.textContent = 'The log ended.';
    } catch (error) {
      if (controller.signal.aborted) return;
      if (context.server.closed) return context.lost(error);
      state.textContent = `Logs: ${errorText(error)}`;
      state.className = 'error';
    }
  };
  filter.addEventListener('change', () => void follow());

  const refresh = async () => {
    try {
      const status = (await context.server.server.status()) as unknown as { installed: boolean; services: { service: string }[] };
      if (!status.installed) {
        stop();
        state.textContent = 'No OpenMates stack is installed: no logs.';
        return;
      }
      const names = status.services.map((service) => service.service);
      if (names.join() !== services.join()) {
        services = names;
        const chosen = filter.value;
        show(filter, h('option', { value: '' }, 'All services'), ...names.map((name) => h('option', { value: name }, name)));
        filter.value = names.includes(chosen) ? chosen : '';
      }
    } catch (error) {
      if (context.server.closed) return context.lost(error);
    }
    if (!following) void follow();
  };
  return { root, refresh, stop };
}
