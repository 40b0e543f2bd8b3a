import type { FileEntry, FileInfo, HostFacts } from '../../remote/sdk/index.js';
import { humanBytes, table } from '../format.js';

export function hostText(host: HostFacts): string {
  const lines = [
    `Host facts (${host.takenAt})`,
    `  Uptime: ${Math.round(host.uptimeSeconds / 3600)} h`,
    `  CPU: ${host.cpu.cores} cores, ${host.cpu.usedPercent.toFixed(0)} % used, load ${host.cpu.load.map((value) => value.toFixed(2)).join(' ')}`,
    `  Memory: ${humanBytes(host.memory.availableBytes)} free of ${humanBytes(host.memory.totalBytes)}`,
    ...host.disks.map((disk) => `  Disk ${disk.mount}: ${humanBytes(disk.freeBytes)} free of ${humanBytes(disk.totalBytes)}`),
    `  Ports: ${host.ports.map((port) => `${port.address}:${port.port}${port.process ? ` (${port.process})` : ''}`).join(', ') || 'none'}`,
    `  Containers: ${Array.isArray(host.containers) ? host.containers.map((container) => `${container.name} ${container.state}${container.health ? `/${container.health}` : ''}`).join(', ') || 'none' : `unavailable (${host.containers.unavailable})`}`,
    `  Scripts: ${host.scripts.map((script) => `${script.pid} ${script.command}`).join('; ') || 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function listingText(entries: FileEntry[], total: number): string {
  const rows = entries.map((entry) => [entry.type === 'directory' ? `${entry.name}/` : entry.name, entry.type, entry.type === 'directory' ? '' : humanBytes(entry.size), new Date(entry.mtimeMs).toISOString().slice(0, 16).replace('T', ' ')]);
  const more = total > entries.length ? `\n  … ${total - entries.length} more (use --json with offset paging)` : '';
  return `${table(rows)}${more}\n`;
}

export function statText(info: FileInfo): string {
  return `${table([
    ['path', info.path],
    ['type', info.type],
    ['size', `${info.size} bytes`],
    ['mode', `0${(info.mode & 0o7777).toString(8)}`],
    ['modified', new Date(info.mtimeMs).toISOString()],
    ['version', info.version],
  ])}\n`;
}
