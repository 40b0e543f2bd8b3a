/**
 * The dashboard's services table as text cells: which columns fit the width, what each cell says,
 * and which services need attention. Pure, so the screen only colours and lays it out.
 */
import type { DashboardService } from '../../core/dashboard/types.js';
import { healthTone, type Tone } from '../components/theme.js';
import { fitText, formatBytes } from '../format.js';

export type ColumnId = 'service' | 'state' | 'health' | 'up' | 'restarts' | 'cpu' | 'memory';

export interface Column {
  id: ColumnId;
  title: string;
  width: number;
  align: 'left' | 'right';
}

/** Space between columns. */
export const GAP = 2;
/** The state mark and its space before the first column. */
export const MARK_WIDTH = 2;
const SERVICE_MIN = 8;
const SERVICE_MAX = 22;

/** Fixed columns, and the order they are dropped in when the terminal is narrow (last first). */
const FIXED: Column[] = [
  { id: 'state', title: 'STATE', width: 10, align: 'left' },
  { id: 'cpu', title: 'CPU', width: 6, align: 'right' },
  { id: 'memory', title: 'MEMORY', width: 8, align: 'right' },
  { id: 'up', title: 'UP', width: 6, align: 'right' },
  { id: 'health', title: 'HEALTH', width: 9, align: 'left' },
  { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right' },
];
const DISPLAY_ORDER: ColumnId[] = ['service', 'state', 'health', 'up', 'restarts', 'cpu', 'memory'];

/** The columns that fit `width`, the service column taking what is left (up to its longest name). */
export function fitColumns(width: number, services: readonly DashboardService[]): Column[] {
  const longest = Math.max(SERVICE_MIN, ...services.map((service) => service.service.length));
  const wanted = Math.min(SERVICE_MAX, longest);
  let fixed = FIXED.slice();
  const used = (columns: Column[]) => MARK_WIDTH + columns.reduce((sum, column) => sum + column.width + GAP, 0);
  while (fixed.length > 1 && width - used(fixed) < SERVICE_MIN) fixed = fixed.slice(0, -1);
  const serviceWidth = Math.max(SERVICE_MIN, Math.min(wanted, width - used(fixed)));
  const all: Column[] = [{ id: 'service', title: 'SERVICE', width: serviceWidth, align: 'left' }, ...fixed];
  return DISPLAY_ORDER.map((id) => all.find((column) => column.id === id)).filter((column): column is Column => column !== undefined);
}

export function uptime(startedAt: string | undefined, now: number): string {
  if (!startedAt) return '-';
  const seconds = Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000));
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86_400)}d${Math.floor((seconds % 86_400) / 3600)}h`;
}

export function percent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value >= 100 ? `${Math.round(value)}%` : `${value.toFixed(1)}%`;
}

/** The state word: Docker's, with the exit code of a stopped container; a finished one-shot job is "completed". */
export function stateText(service: DashboardService): string {
  if (service.state === 'completed') return 'completed';
  if (service.state === 'missing') return 'missing';
  if (service.engineState === 'exited' || service.engineState === 'dead') return `exited ${service.exitCode}`;
  return service.engineState;
}

export function isRunning(service: DashboardService): boolean {
  return service.engineState === 'running';
}

/** `healthShown` false: the health column did not fit, so a state that is not healthy says so itself. */
export function cellText(service: DashboardService, column: ColumnId, now: number, healthShown = true): string {
  switch (column) {
    case 'service':
      return service.service;
    case 'state':
      return !healthShown && service.health && service.health !== 'healthy' && isRunning(service) ? service.health : stateText(service);
    case 'health':
      return service.health ?? '-';
    case 'up':
      return isRunning(service) ? uptime(service.startedAt, now) : '-';
    case 'restarts':
      return String(service.restartCount);
    case 'cpu':
      return isRunning(service) ? percent(service.cpuPercent) : '-';
    case 'memory':
      return isRunning(service) && service.memoryBytes !== undefined ? formatBytes(service.memoryBytes) : '-';
  }
}

export function padCell(text: string, column: Column): string {
  if (column.align === 'left' || text.length >= column.width) return fitText(text, column.width);
  return text.padStart(column.width);
}

/** Stopped, restarting, unhealthy or missing: what the dashboard makes stand out. */
export function needsAttention(service: DashboardService): boolean {
  return healthTone(service.state) === 'error' || service.state === 'restarting';
}

export function attentionTone(service: DashboardService): Tone {
  return service.state === 'restarting' ? 'warning' : healthTone(service.state);
}

/** One sentence for a service that needs attention: "worker stopped (exit code 1)". */
export function attentionText(service: DashboardService): string {
  switch (service.state) {
    case 'restarting':
      return `${service.service} keeps restarting (${service.restartCount} restart${service.restartCount === 1 ? '' : 's'})`;
    case 'unhealthy':
      return `${service.service} is unhealthy`;
    case 'missing':
      return `${service.service} has no container`;
    default:
      return `${service.service} stopped (exit code ${service.exitCode})`;
  }
}

/**
 * The rows to show in `maxRows`: services needing attention first when not all fit, so a problem
 * is never cut off; the rest in the stack's order. `hidden` counts what did not fit.
 */
export function visibleServices(services: readonly DashboardService[], maxRows: number): { shown: DashboardService[]; hidden: number } {
  if (services.length <= maxRows) return { shown: services.slice(), hidden: 0 };
  const rows = Math.max(1, maxRows - 1); // one row says how many are hidden
  const urgent = services.filter(needsAttention);
  const picked = new Set([...urgent, ...services.filter((service) => !needsAttention(service))].slice(0, rows));
  return { shown: services.filter((service) => picked.has(service)), hidden: services.length - picked.size };
}
