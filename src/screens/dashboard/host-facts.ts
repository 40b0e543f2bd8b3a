import type { DashboardSnapshot, HostMetrics } from '../../core/dashboard/types.js';
import type { Fact } from '../components/Facts.js';
import { formatBytes } from '../format.js';
import { percent } from './service-rows.js';

/** "3.1% of 2 cores · load 0.21", "1.2 GB used of 3.8 GB", "install 12.3 GB free of 40.0 GB". */
export function hostFacts(host: HostMetrics | undefined): Fact[] {
  if (!host) return [{ label: 'Host', value: 'measuring…' }];
  const cpu = `${host.cpuPercent === undefined ? 'measuring…' : percent(host.cpuPercent)} of ${host.cpuCount} core${host.cpuCount === 1 ? '' : 's'} · load ${host.loadAverage[0].toFixed(2)}`;
  const used = host.memoryTotalBytes - host.memoryAvailableBytes;
  const memory = `${formatBytes(used)} used of ${formatBytes(host.memoryTotalBytes)}`;
  const facts: Fact[] = [
    { label: 'CPU', value: cpu },
    { label: 'Memory', value: memory },
  ];
  if (host.disks.length > 0) {
    facts.push({ label: 'Disk', value: host.disks.map((disk) => `${disk.label} ${formatBytes(disk.freeBytes)} free of ${formatBytes(disk.totalBytes)}`).join(' · ') });
  }
  return facts;
}

/** Host, then the URLs, then where it is installed: the facts beside the menu, as many as `rows` allows. */
export function dashboardFacts(snapshot: DashboardSnapshot, rows: number): Fact[] {
  const facts = [...hostFacts(snapshot.host), ...snapshot.urls.map((url) => ({ label: url.name, value: url.url })), { label: 'Directory', value: snapshot.installDir }];
  return facts.slice(0, Math.max(0, rows));
}
