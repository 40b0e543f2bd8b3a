import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { healthTone } from '../format.js';

/** The part of src/core's InstanceStatus the page shows (server.status sends the core's object as it is). */
interface StackStatus {
  installed: boolean;
  installDir: string;
  version?: string;
  healthy: boolean;
  degraded: boolean;
  services: { service: string; state: string; engineState: string; restartCount: number }[];
  checks: { name: string; ok: boolean; detail: string; degraded?: boolean }[];
}

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
    if (!status.installed) return show(body, h('p', { class: 'quiet' }, `No OpenMates stack is installed at ${status.installDir}.`));
    const overall = status.healthy ? (status.degraded ? 'degraded' : 'healthy') : 'unhealthy';
    const button = h('button', { class: 'button', type: 'button', id: 'restart', onclick: () => void restart(button) }, restarting ? 'Restarting…' : 'Restart the stack');
    button.disabled = restarting;
    show(
      body,
      h('p', {}, h('span', { class: `badge ${healthTone(overall)}`, id: 'stack-health' }, overall), status.version ? ` version ${status.version}` : ''),
      h(
        'ul',
        { class: 'rows', 'aria-label': 'Services' },
        ...status.services.map((service) =>
          h('li', { class: 'row', 'data-service': service.service, 'data-health': service.state }, h('span', { class: 'row-main' }, service.service), h('span', { class: `badge ${healthTone(service.state)}` }, service.state)),
        ),
      ),
      status.checks.length > 0 &&
        h('ul', { class: 'rows', 'aria-label': 'Health checks' }, ...status.checks.map((check) => h('li', { class: 'row' }, h('span', { class: 'row-main' }, check.name), h('span', { class: `badge ${check.ok ? (check.degraded ? 'wait' : 'ok') : 'error'}` }, check.detail)))),
      button,
    );
  };

  const refresh = async () => {
    try {
      render((await context.server.server.status()) as unknown as StackStatus);
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      show(body, h('p', { class: 'error' }, `Services: ${errorText(error)}`));
    }
  };
  return { root, refresh };
}
