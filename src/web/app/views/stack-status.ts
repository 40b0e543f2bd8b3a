import { h } from '../dom.js';
import { healthTone } from '../format.js';

/** The part of src/core's InstanceStatus the page shows (server.status sends the core's object as it is). */
export interface StackStatus {
  installed: boolean;
  installDir: string;
  version?: string;
  healthy: boolean;
  degraded: boolean;
  services: { service: string; state: string; engineState: string; restartCount: number }[];
  checks: { name: string; ok: boolean; detail: string; degraded?: boolean }[];
}

/** The stack's health, its services and its checks (without the restart button). */
export function stackSummary(status: StackStatus): Node[] {
  if (!status.installed) return [h('p', { class: 'quiet' }, `No OpenMates stack is installed at ${status.installDir}.`)];
  const overall = status.healthy ? (status.degraded ? 'degraded' : 'healthy') : 'unhealthy';
  const nodes: Node[] = [
    h('p', {}, h('span', { class: `badge ${healthTone(overall)}`, id: 'stack-health' }, overall), status.version ? ` version ${status.version}` : ''),
    h(
      'ul',
      { class: 'rows', 'aria-label': 'Services' },
      ...status.services.map((service) =>
        h('li', { class: 'row', 'data-service': service.service, 'data-health': service.state }, h('span', { class: 'row-main' }, service.service), h('span', { class: `badge ${healthTone(service.state)}` }, service.state)),
      ),
    ),
  ];
  if (status.checks.length > 0) {
    nodes.push(h('ul', { class: 'rows', 'aria-label': 'Health checks' }, ...status.checks.map((check) => h('li', { class: 'row' }, h('span', { class: 'row-main' }, check.name), h('span', { class: `badge ${check.ok ? (check.degraded ? 'wait' : 'ok') : 'error'}` }, check.detail)))));
  }
  return nodes;
}
