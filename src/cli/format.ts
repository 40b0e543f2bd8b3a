/** Small text helpers shared by the line renderers. */

export { formatBytes as humanBytes } from '../core/format-bytes.js';

export function humanDuration(since: string | undefined, now = Date.now()): string {
  if (!since) return '-';
  const seconds = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
  return `${Math.floor(seconds / 86400)}d${Math.floor((seconds % 86400) / 3600)}h`;
}

export function table(rows: string[][], indent = '  '): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => indent + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

export const color = {
  enabled: false,
  wrap(code: number, text: string) {
    return this.enabled ? `\x1b[${code}m${text}\x1b[0m` : text;
  },
  green(text: string) {
    return this.wrap(32, text);
  },
  red(text: string) {
    return this.wrap(31, text);
  },
  yellow(text: string) {
    return this.wrap(33, text);
  },
  dim(text: string) {
    return this.wrap(2, text);
  },
  bold(text: string) {
    return this.wrap(1, text);
  },
};
