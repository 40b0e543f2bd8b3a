import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { rememberSnapshot } from '../snapshot.js';
import { stackSummary, type StackStatus } from './stack-status.js';

/** The stack's services with their health, and a restart button (in safety mode it waits for approval). */
export function servicesView(context: AppContext) {
  const body = h('div', {}, h('p', { class: 'quiet' }, 'Loading…'));
  const root = h('section', { class: 'card', 'aria-labelledby': 'services-title', id: 'services' }, h('h2', { id: 'services-title' }, 'Services'), body);
  let restarting = false;

  const restart = async (button: HTMLButtonElement) => {
    restarting = true;
    button.disabled = true;
    button.textContent = 'Restarting…';
    context.notify('Restarting the stack…', 'wait');
    try {
      await context.server.server.restart({ onApproval: (approval) => context.notify(`Restart: waiting for approval ${approval.id}`, 'wait') });
      context.notify('The stack restarted.', 'ok');
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      context.notify(`Restart failed: ${errorText(error)}`, 'error');
    } finally {
      restarting = false;
      await refresh();
    }
  };

  const render = (status: StackStatus) => {
    if (!status.installed) return show(body, ...stackSummary(status));
    const button = h('button', { class: 'button', type: 'button', id: 'restart', onclick: () => void restart(button) }, restarting ? 'Restarting…' : 'Restart the stack');
    button.disabled = restarting;
    show(body, ...stackSummary(status), button);
  };

  const refresh = async () => {
    try {
      const status = (await context.server.server.status()) as unknown as StackStatus;
      rememberSnapshot({ status });
      render(status);
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      show(body, h('p', { class: 'error' }, `Services: ${errorText(error)}`));
    }
  };
  return { root, refresh };
}
