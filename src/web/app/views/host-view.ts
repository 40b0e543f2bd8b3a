import type { HostFacts } from '../../../remote/sdk/index.js';
import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { formatBytes, healthTone, uptimeText } from '../format.js';
import { rememberSnapshot } from '../snapshot.js';

function fact(label: string, value: string) {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}

function containers(facts: HostFacts) {
  if (!Array.isArray(facts.containers)) return h('p', { class: 'quiet' }, `Containers: ${facts.containers.unavailable}`);
  if (facts.containers.length === 0) return h('p', { class: 'quiet' }, 'No containers run.');
  return h(
    'ul',
    { class: 'rows', 'aria-label': 'Containers' },
    ...facts.containers.map((container) =>
      h('li', { class: 'row' }, h('span', { class: 'row-main' }, container.name), h('span', { class: `badge ${healthTone(container.health ?? container.state)}` }, container.health ?? container.state)),
    ),
  );
}

/** CPU, memory, disks, uptime and the containers with their health. */
export function hostFacts(facts: HostFacts): Node[] {
  const used = facts.memory.totalBytes - facts.memory.availableBytes;
  return [
    h(
      'dl',
      { class: 'facts' },
      fact('CPU', `${facts.cpu.cores} cores, ${Math.round(facts.cpu.usedPercent)} % used, load ${facts.cpu.load.map((load) => load.toFixed(2)).join(' ')}`),
      fact('Memory', `${formatBytes(used)} used of ${formatBytes(facts.memory.totalBytes)}`),
      ...facts.disks.map((disk) => fact(`Disk ${disk.mount}`, `${formatBytes(disk.freeBytes)} free of ${formatBytes(disk.totalBytes)}`)),
      fact('Up', uptimeText(facts.uptimeSeconds)),
    ),
    h('h3', {}, 'Containers'),
    containers(facts),
  ];
}

/** The host: CPU, memory, disks, containers with health. */
export function hostView(context: AppContext) {
  const root = h('section', { class: 'card', 'aria-labelledby': 'host-title', id: 'host' }, h('h2', { id: 'host-title' }, 'Host'), h('p', { class: 'quiet' }, 'Loading…'));
  const body = h('div');
  const refresh = async () => {
    try {
      const facts = await context.server.host();
      rememberSnapshot({ host: facts });
      show(body, ...hostFacts(facts));
      show(root, root.firstChild, body);
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      show(root, root.firstChild, h('p', { class: 'error' }, `Host facts: ${errorText(error)}`));
    }
  };
  return { root, refresh };
}
